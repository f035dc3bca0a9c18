package calldata

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/txguard/txguard/decode/label"
)

// Kinds of Call.
const (
	KindCall    = "call"    // an EVM message call
	KindCommand = "command" // a Universal Router command
)

// Operations a call can be made with (Safe and MultiSend distinguish them).
const (
	OpCall         = "call"
	OpDelegateCall = "delegatecall"
)

// Call is one decoded call, with the calls nested inside it.
type Call struct {
	// Path locates the call in the decoded structure: "call",
	// "call.calls[1]", ... Rules cite it as evidence.
	Path      string      `json:"path"`
	Kind      string      `json:"kind"`
	Target    *label.Addr `json:"target,omitempty"`
	Value     *big.Int    `json:"-"`
	ValueText string      `json:"value,omitempty"` // wei, decimal
	Human     string      `json:"valueHuman,omitempty"`
	Operation string      `json:"operation,omitempty"`
	// AllowRevert is a Universal Router command flagged to continue on failure.
	AllowRevert bool `json:"allowRevert,omitempty"`

	Selector  string `json:"selector,omitempty"`
	Signature string `json:"signature,omitempty"` // canonical, e.g. approve(address,uint256)
	Name      string `json:"name,omitempty"`      // function or command name
	// Source of the signature: an abis/ family ("erc20", "permit2", ...),
	// "user" for --abi, "4byte" for the selector table, or
	// "universal-router" for commands.
	Source string `json:"source,omitempty"`
	// Ambiguous lists the other readings of the same bytes, as
	// "source: signature".
	Ambiguous []string `json:"ambiguous,omitempty"`

	Args  []Arg         `json:"args,omitempty"`
	Calls []*Call       `json:"calls,omitempty"`
	Data  hexutil.Bytes `json:"data,omitempty"` // raw calldata when it was not decoded
	// Input is the calldata the call carries, decoded or not: what a
	// simulation of this call sends. Not shown: Args and Data show it.
	Input []byte `json:"-"`
	// Error says why the call was not decoded, or not completely.
	Error string `json:"error,omitempty"`
}

// Arg is one decoded argument. Value is canonical text: decimal integers,
// checksummed 0x addresses, 0x hex bytes, true/false, strings as they are.
type Arg struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Value string `json:"value,omitempty"`
	Label string `json:"label,omitempty"` // who an address is
	Human string `json:"human,omitempty"` // "unlimited", "1,000 USDC", a date
	Elems []Arg  `json:"elems,omitempty"` // tuple members and array elements
	// Carries says this argument holds calls, decoded into Call.Calls.
	Carries bool `json:"carries,omitempty"`
	// hexLater: Value is raw in hex, written by finishArgs unless asCalls.
	// (The flags sit together: an Arg is allocated for every argument.)
	hexLater bool
	// asCalls: these bytes are, whole, the calldata of one nested call (or
	// a router's commands, each a nested call), which shows them: their
	// hex is not written out again.
	asCalls bool
	// isAddr: raw holds an address's 20 bytes (often the calldata's own).
	isAddr bool

	big *big.Int
	raw []byte
}

// Arg returns the argument with this name.
func (c *Call) Arg(name string) (Arg, bool) { return findArg(c.Args, name) }

// Elem returns the tuple member with this name.
func (a Arg) Elem(name string) (Arg, bool) { return findArg(a.Elems, name) }

func findArg(args []Arg, name string) (Arg, bool) {
	for _, a := range args {
		if a.Name == name {
			return a, true
		}
	}
	return Arg{}, false
}

// Big is the integer value of a uint or int argument, else nil.
func (a Arg) Big() *big.Int { return a.big }

// Address is the value of an address argument.
func (a Arg) Address() (common.Address, bool) {
	if !a.isAddr {
		return common.Address{}, false
	}
	return common.Address(a.raw), true
}

// addr is the address argument's value in place, nil for other types.
func (a *Arg) addr() *common.Address {
	if !a.isAddr {
		return nil
	}
	return (*common.Address)(a.raw)
}

// Bytes is the value of a bytes or bytesN argument, else nil.
func (a Arg) Bytes() []byte {
	if a.isAddr {
		return nil
	}
	return a.raw
}

// Walk calls fn for c and every call nested in it, depth first.
func (c *Call) Walk(fn func(*Call)) {
	fn(c)
	for _, in := range c.Calls {
		in.Walk(fn)
	}
}
