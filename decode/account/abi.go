package account

import (
	"fmt"
	"sync"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/crypto"
)

// function is one function to encode a call to.
type function struct {
	id   []byte
	args abi.Arguments
}

// call encodes a call: selector, then the arguments.
func (f function) call(args ...any) ([]byte, error) {
	b, err := f.args.Pack(args...)
	if err != nil {
		return nil, fmt.Errorf("account: encoding the call: %v", err)
	}
	return append(append(make([]byte, 0, 4+len(b)), f.id...), b...), nil
}

// mustFunction builds a function from its canonical signature; the types
// are built on first use, since abi.NewType costs at start-up.
func mustFunction(sig string) func() function {
	return sync.OnceValue(func() function {
		sel, err := abi.ParseSelector(sig)
		if err != nil {
			panic(err)
		}
		args := make(abi.Arguments, len(sel.Inputs))
		for i, in := range sel.Inputs {
			t, err := abi.NewType(in.Type, "", in.Components)
			if err != nil {
				panic(err)
			}
			args[i] = abi.Argument{Type: t}
		}
		return function{id: crypto.Keccak256([]byte(sig))[:4], args: args}
	})
}

var (
	// Safe's execTransaction, the same selector for 0.1.0 (dataGas) and
	// later (baseGas); the signatures are the last argument.
	execTransaction = mustFunction("execTransaction(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,bytes)")
	// ERC-7821 (and ERC-7579) execute(mode, executionData).
	erc7821Execute = mustFunction("execute(bytes32,bytes)")
)

// erc7821Calls is the executionData of a plain ERC-7821 batch,
// abi.encode(Call[]) with Call {address to; uint256 value; bytes data}.
var erc7821Calls = sync.OnceValue(func() abi.Arguments {
	t, err := abi.NewType("tuple[]", "", []abi.ArgumentMarshaling{
		{Name: "to", Type: "address"},
		{Name: "value", Type: "uint256"},
		{Name: "data", Type: "bytes"},
	})
	if err != nil {
		panic(err)
	}
	return abi.Arguments{{Type: t}}
})
