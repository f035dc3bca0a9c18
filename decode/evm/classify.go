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

// Classify names the form of code.
func Classify(code []byte) (*Code, error) {
	if len(code) == 0 {
		return nil, errors.New("evm: empty bytecode")
	}
	c := &Code{Size: len(code), Code: code, Form: FormRuntime}
	switch {
	case len(code) == 23 && bytes.HasPrefix(code, delegationPrefix):
		c.Form = FormDelegation
		t := common.BytesToAddress(code[3:])
		c.Target = &t
	case len(code) == 45 && bytes.HasPrefix(code, proxyPrefix) && bytes.HasSuffix(code, proxySuffix):
		c.Form = FormMinimalProxy
		t := common.BytesToAddress(code[10:30])
		c.Target = &t
	case isCreation(code):
		c.Form = FormCreation
	}
	return c, nil
}

// isCreation spots solc creation code: it copies the runtime out of itself
// (CODECOPY, then RETURN) and the runtime opens with solc's prologue again.
func isCreation(code []byte) bool {
	if !bytes.HasPrefix(code, solcPrologue) {
		return false
	}
	second := bytes.Index(code[len(solcPrologue):], solcPrologue)
	if second < 0 {
		return false
	}
	head := code[:len(solcPrologue)+second]
	cc := bytes.IndexByte(head, 0x39)                       // CODECOPY
	return cc >= 0 && bytes.IndexByte(head[cc:], 0xf3) >= 0 // RETURN
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
