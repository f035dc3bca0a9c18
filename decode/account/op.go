package account

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/clip"
	"github.com/txguard/txguard/decode/label"
)

// Kinds of Op.
const (
	KindSafeTx = "safe-tx" // a Safe transaction (SafeTx typed data)
	KindSafeOp = "safe-op" // a Safe4337Module operation (SafeOp typed data)
	KindUserOp = "user-op" // an ERC-4337 UserOperation
	KindCalls  = "calls"   // an EIP-5792 wallet_sendCalls batch
)

// CallPath is where Op.Call sits, so that evidence reads
// op.call.calls[0].args.spender.
const CallPath = "op.call"

// Op is what a signature or request makes an account execute, read as the
// on-chain call it becomes, so the same rules judge it as a transaction.
type Op struct {
	Kind     string `json:"kind"`
	Standard string `json:"standard"` // "Safe 1.3.0+ (chainId in the domain)", "ERC-4337 EntryPoint v0.7", ...
	// Account is whose assets move: the Safe, the smart account, the
	// sender. Zero for a wallet_sendCalls without "from".
	Account    label.Addr  `json:"account"`
	EntryPoint *label.Addr `json:"entryPoint,omitempty"` // ERC-4337
	// Factory deploys the account (ERC-4337 initCode); nil when none. An
	// EIP-7702 account's initCode marker is shown as such, not as a factory.
	Factory     *label.Addr   `json:"factory,omitempty"`
	FactoryData hexutil.Bytes `json:"factoryData,omitempty"`
	Paymaster   *label.Addr   `json:"paymaster,omitempty"` // ERC-4337, nil when none
	// Delegate is the EIP-7702 delegate an operation's eip7702Auth makes
	// the sender's code, nil when none: it then controls the account.
	Delegate *label.Addr `json:"delegate,omitempty"`
	// PaymasterData is what the paymaster is handed, without the gas
	// limits (v0.7+) or a v0.9 paymaster signature around it.
	PaymasterData hexutil.Bytes `json:"paymasterData,omitempty"`
	Nonce         string        `json:"nonce,omitempty"`   // decimal
	ChainID       string        `json:"chainId,omitempty"` // decimal, when known
	// Hash is what the key signs: the safeTxHash, the SafeOp digest or the
	// userOpHash. Zero when the request lacks what it needs (see Notes) or
	// nothing is signed (wallet_sendCalls).
	Hash common.Hash `json:"hash,omitzero"`
	// Call is the on-chain call, decoded and opened, at CallPath.
	Call *calldata.Call `json:"call"`
	// Notes are things a reviewer should know: "operation 1:
	// DELEGATECALL", a gas refund in a token, an unknown entry point.
	Notes []string `json:"notes,omitempty"`
}

func (o *Op) note(format string, args ...any) {
	o.Notes = append(o.Notes, fmt.Sprintf(format, args...))
}

// maxUnreadCalls bounds how many unread calls Unread names one by one: an
// attacker's batch may hold thousands.
const maxUnreadCalls = 16

// Unread lists the value-bearing parts of the operation that were not
// read: setup data handed to a factory, data handed to a paymaster, the
// initialization call of an EIP-7702 account, and calls the decoder could
// not read in full. Empty means everything that moves value was decoded.
func (o *Op) Unread() []string {
	var out []string
	if f := o.Factory; f != nil {
		if f.Address == eip7702Marker {
			if len(o.FactoryData) > 0 {
				out = append(out, fmt.Sprintf("%d bytes after the EIP-7702 marker in initCode, which the EntryPoint passes to the account itself as a call; not decoded", len(o.FactoryData)))
			}
		} else {
			if _, ok := KnownFactories[f.Address]; !ok {
				out = append(out, fmt.Sprintf("initCode's factory %s is not a known account factory: what it deploys as the account is not known", show(*f)))
			}
			if len(o.FactoryData) > 0 {
				out = append(out, fmt.Sprintf("factory %s deploys the account with %d bytes of setup data (owners, modules), not decoded", show(*f), len(o.FactoryData)))
			}
		}
	}
	if p := o.Paymaster; p != nil && len(o.PaymasterData) > 0 {
		out = append(out, fmt.Sprintf("paymaster %s is handed %d bytes of paymasterData, not decoded", show(*p), len(o.PaymasterData)))
	}
	if o.Call == nil {
		return out
	}
	n := 0
	o.Call.Walk(func(c *calldata.Call) {
		if c.Error == "" {
			return
		}
		if n++; n <= maxUnreadCalls {
			out = append(out, c.Path+": "+c.Error)
		}
	})
	if n > maxUnreadCalls {
		out = append(out, fmt.Sprintf("and %d more calls not read in full", n-maxUnreadCalls))
	}
	return out
}

// show is an address with its label, or "(unknown)" when nobody knows it.
func show(a label.Addr) string {
	if a.Label == "" {
		return label.Hex(a.Address) + " (unknown)"
	}
	return a.String()
}

// reader decodes and labels for one operation, on the operation's chain.
type reader struct {
	d   *calldata.Decoder
	lab *label.Labeler
}

// newReader labels on chain when it is known (0: as d does), so that a
// SafeTx on Base is not labelled with mainnet's tokens.
func newReader(d *calldata.Decoder, chain uint64) reader {
	if d == nil {
		d = calldata.New(nil)
	}
	lab := d.Labels()
	if chain != 0 && lab.Chain() != chain {
		lab = lab.OnChain(chain)
		d = d.WithLabels(lab)
	}
	return reader{d: d, lab: lab}
}

// addr labels a, falling back on this package's tables.
func (r reader) addr(a common.Address) label.Addr {
	l := r.lab.Addr(a)
	if !l.Known() {
		if name, ok := knownName(a); ok {
			return label.Addr{Address: a, Label: name, Source: label.SourceBuiltin}
		}
	}
	return l
}

func (r reader) addrPtr(a common.Address) *label.Addr {
	l := r.addr(a)
	return &l
}

// decode reads the call the account makes, at CallPath.
func (r reader) decode(target *common.Address, value *big.Int, data []byte) *calldata.Call {
	return r.d.DecodeAt(CallPath, target, value, data)
}

// chainOf reads a decimal chain id for labelling; 0 when absent or too big.
func chainOf(decimal string) uint64 {
	id, ok := new(big.Int).SetString(decimal, 10)
	if !ok || !id.IsUint64() {
		return 0
	}
	return id.Uint64()
}

// list names the first few of many, briefly.
func list(names []string) string {
	const show = 8
	quoted := make([]string, 0, min(len(names), show))
	for _, n := range names[:min(len(names), show)] {
		quoted = append(quoted, fmt.Sprintf("%q", clip.Cut(n, 40)))
	}
	s := strings.Join(quoted, ", ")
	if len(names) > show {
		s += fmt.Sprintf(" and %d more", len(names)-show)
	}
	return s
}
