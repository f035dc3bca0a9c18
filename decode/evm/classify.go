package evm

import (
	"bytes"
	"errors"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// Forms of bytecode.
const (
	FormRuntime      = "runtime"
	FormCreation     = "creation"
	FormMinimalProxy = "eip-1167 minimal proxy"
	FormDelegation   = "eip-7702 delegation designator"
)

// Code is classified bytecode.
type Code struct {
	Form string        `json:"form"`
	Size int           `json:"size"`
	Code hexutil.Bytes `json:"code"`
	// Target is the implementation of a minimal proxy or the delegate of a
	// 7702 designator.
	Target *common.Address `json:"target,omitempty"`
	// Analysis is what the code shows (selectors, proxies, concerns), set
	// by decode for a bytecode input.
	Analysis *Analysis `json:"analysis,omitempty"`
}

var (
	// 0xef0100 || address: EIP-7702's delegation designator.
	delegationPrefix = []byte{0xef, 0x01, 0x00}
	// EIP-1167 runtime: 363d3d373d3d3d363d73 <address> 5af43d82803e903d91602b57fd5bf3
	proxyPrefix = common.FromHex("363d3d373d3d3d363d73")
	proxySuffix = common.FromHex("5af43d82803e903d91602b57fd5bf3")
	// solc's free-memory-pointer prologue, PUSH1 0x80 PUSH1 0x40 MSTORE, opens
	// both creation and runtime code.
	solcPrologue = common.FromHex("6080604052")
)

// classified is the form of code plus what Analyze goes on with.
type classified struct {
	*Code
	prog                    *program  // nil for a delegation designator; release it
	md                      *Metadata // code's own trailer, if any
	runtimeOff, runtimeSize int
}

// classify names the form of code. Creation code is code whose constructor
// returns a runtime copied out of itself (see runtimeSpan); a factory's
// runtime that merely embeds a child's creation code is runtime.
func classify(code []byte) (*classified, error) {
	if len(code) == 0 {
		return nil, errors.New("evm: empty bytecode")
	}
	c := &classified{Code: &Code{Size: len(code), Code: code, Form: FormRuntime}, runtimeSize: len(code)}
	if len(code) == 23 && bytes.HasPrefix(code, delegationPrefix) {
		c.Form = FormDelegation
		t := common.BytesToAddress(code[3:])
		c.Target = &t
		return c, nil
	}
	c.md = ParseMetadata(code)
	end := len(code)
	if c.md != nil {
		end = c.md.Offset
	}
	c.prog = newProgram(code, end)
	if len(code) == 45 && bytes.HasPrefix(code, proxyPrefix) && bytes.HasSuffix(code, proxySuffix) {
		c.Form = FormMinimalProxy
		t := common.BytesToAddress(code[10:30])
		c.Target = &t
	} else if off, size, ok := runtimeSpan(c.prog, c.md); ok {
		c.Form, c.runtimeOff, c.runtimeSize = FormCreation, off, size
	}
	return c, nil
}

// LooksLikeCode reports whether bytes that are not a transaction are
// plausibly bytecode, so auto-detection can say "bytecode" instead of
// "bad transaction".
func LooksLikeCode(b []byte) bool {
	return bytes.HasPrefix(b, solcPrologue) ||
		len(b) == 23 && bytes.HasPrefix(b, delegationPrefix) ||
		bytes.HasPrefix(b, proxyPrefix) ||
		bytes.HasPrefix(b, common.FromHex("3d602d80600a3d3981f3")) // EIP-1167 creation
}

// part names where in the input pc lies: the constructor (creation code
// outside its runtime), the runtime's metadata trailer (md, of the
// runtime), the creation code of a contract the runtime deploys (from
// embedded, runtime-relative), or the runtime itself ("").
func (c *classified) part(pc int, md *Metadata, embedded int) string {
	rel := pc - c.runtimeOff
	switch {
	case c.Form == FormCreation && (rel < 0 || rel >= c.runtimeSize):
		return PartConstructor
	case md != nil && rel >= md.Offset:
		return PartTrailer
	case rel >= embedded:
		return PartDeployed
	}
	return ""
}
