package calldata

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/accounts/abi"
)

// The curated ABIs live in abis/*.json, as their sources publish them. At
// run time only abis_gen.go is compiled in: every function of them as
// curatedFuncs, sorted by selector, its arguments as the ABI's own fields
// (abi.ArgumentMarshaling), which the linker lays out. A process builds
// the abi.Method of the functions it meets and nothing else, and parses
// no JSON to do it (parsing every file cost milliseconds at each start;
// the JSON of one entry, a tenth of a millisecond for the first).
// go generate ./decode/calldata rebuilds it; a test keeps it current.
//
//go:generate go test -run ^TestABIIndex$ -update .

// families lists the curated ABIs in priority order: where two families
// share a signature (ERC-20 and ERC-721 approve), the earlier one is the
// default reading unless the target says otherwise.
var families = []string{
	"erc20", "weth", "dai", "erc721", "erc1155", "permit2",
	"uniswap_v2_router", "uniswap_v3_router", "universal_router",
	"seaport", "multicall3", "safe", "safe_multisend", "safe_4337_module",
	"proxy", "ownable", "entrypoint", "erc7821", "smart_account", "grants",
}

// candidate is one reading of a selector.
type candidate struct {
	method *abi.Method
	source string
}

// curatedFunc is one function of the curated ABIs, as its JSON entry has
// it.
type curatedFunc struct {
	sel               [4]byte
	family            string
	name, mutability  string
	constant, payable bool // pre-0.4.16 ABIs say these instead of mutability
	inputs, outputs   []abi.ArgumentMarshaling
}

// curatedBuilt caches each curatedFuncs entry's method, built on first
// use; a nil slot is not built yet.
var curatedBuilt [len(curatedFuncs)]atomic.Pointer[abi.Method]

// curated returns the curated readings of a selector, in family priority
// order.
func curated(sel [4]byte) []candidate {
	i, _ := slices.BinarySearchFunc(curatedFuncs[:], sel, func(f curatedFunc, sel [4]byte) int {
		return bytes.Compare(f.sel[:], sel[:])
	})
	var out []candidate
	for ; i < len(curatedFuncs) && curatedFuncs[i].sel == sel; i++ {
		m := curatedBuilt[i].Load()
		if m == nil {
			built, err := curatedFuncs[i].method()
			if err != nil {
				continue // TestABIIndex builds every entry
			}
			curatedBuilt[i].CompareAndSwap(nil, built)
			m = curatedBuilt[i].Load()
		}
		out = append(out, candidate{m, curatedFuncs[i].family})
	}
	return out
}

// method builds the function's abi.Method as abi.JSON would from its
// entry: each argument's type from its type, internal type and components.
func (f *curatedFunc) method() (*abi.Method, error) {
	args := func(ms []abi.ArgumentMarshaling) (abi.Arguments, error) {
		out := make(abi.Arguments, len(ms))
		for i, a := range ms {
			t, err := abi.NewType(a.Type, a.InternalType, a.Components)
			if err != nil {
				return nil, err
			}
			out[i] = abi.Argument{Name: a.Name, Type: t, Indexed: a.Indexed}
		}
		return out, nil
	}
	in, err := args(f.inputs)
	if err != nil {
		return nil, err
	}
	out, err := args(f.outputs)
	if err != nil {
		return nil, err
	}
	m := abi.NewMethod(f.name, f.name, abi.Function, f.mutability, f.constant, f.payable, in, out)
	return &m, nil
}

func addMethods(m map[[4]byte][]candidate, a *abi.ABI, source string) {
	names := make([]string, 0, len(a.Methods))
	for n := range a.Methods {
		names = append(names, n)
	}
	slices.Sort(names) // abi.ABI holds a map: keep the order stable
	for _, n := range names {
		meth := a.Methods[n]
		sel := [4]byte(meth.ID)
		m[sel] = append(m[sel], candidate{&meth, source})
	}
}

// fourbyte builds a method from a signature of the selector table; its
// parameters have no names, so they are called arg0, arg1, ...
func fourbyte(sig string) (*abi.Method, bool) {
	parsed, err := abi.ParseSelector(sig)
	if err != nil {
		return nil, false
	}
	args := make(abi.Arguments, len(parsed.Inputs))
	for i, in := range parsed.Inputs {
		t, err := abi.NewType(in.Type, "", in.Components)
		if err != nil {
			return nil, false
		}
		args[i] = abi.Argument{Name: fmt.Sprintf("arg%d", i), Type: t}
	}
	m := abi.NewMethod(parsed.Name, parsed.Name, abi.Function, "", false, false, args, nil)
	return &m, true
}

// ParseABI reads a user's ABI: a JSON ABI array, or a Foundry or Hardhat
// artifact object whose "abi" field holds one.
func ParseABI(b []byte) (*abi.ABI, error) {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var artifact struct {
			ABI json.RawMessage `json:"abi"`
		}
		if err := json.Unmarshal(b, &artifact); err != nil {
			return nil, fmt.Errorf("calldata: ABI artifact: %v", err)
		}
		if len(artifact.ABI) == 0 {
			return nil, fmt.Errorf("calldata: JSON object has no \"abi\" field; want a JSON ABI array or a Foundry/Hardhat artifact")
		}
		b = artifact.ABI
	}
	parsed, err := abi.JSON(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("calldata: ABI: %v", strings.TrimPrefix(err.Error(), "abi: "))
	}
	if len(parsed.Methods) == 0 {
		return nil, fmt.Errorf("calldata: ABI has no functions")
	}
	return &parsed, nil
}
