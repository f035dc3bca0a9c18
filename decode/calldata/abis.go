package calldata

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/accounts/abi"

	"github.com/txguard/txguard/decode/selector"
)

//go:embed abis/*.json
var abiFiles embed.FS

// families lists the curated ABIs in priority order: where two families
// share a signature (ERC-20 and ERC-721 approve), the earlier one is the
// default reading unless the target says otherwise.
var families = []string{
	"erc20", "weth", "dai", "erc721", "erc1155", "permit2",
	"uniswap_v2_router", "uniswap_v3_router", "universal_router",
	"seaport", "multicall3", "safe", "safe_multisend",
	"proxy", "ownable", "entrypoint", "erc7821", "smart_account",
}

// candidate is one reading of a selector.
type candidate struct {
	method *abi.Method
	source string
}

var (
	curatedOnce sync.Once
	curated     map[[4]byte][]candidate
	curatedErr  error
)

// curatedABIs parses the embedded ABIs once. They ship with the binary:
// the tests parse them, so an error here is a build defect.
func curatedABIs() (map[[4]byte][]candidate, error) {
	curatedOnce.Do(func() {
		curated = map[[4]byte][]candidate{}
		for _, fam := range families {
			b, err := abiFiles.ReadFile("abis/" + fam + ".json")
			if err != nil {
				curatedErr = fmt.Errorf("calldata: curated ABI %s: %v", fam, err)
				return
			}
			parsed, err := abi.JSON(bytes.NewReader(b))
			if err != nil {
				curatedErr = fmt.Errorf("calldata: curated ABI %s: %v", fam, err)
				return
			}
			addMethods(curated, &parsed, fam)
		}
	})
	return curated, curatedErr
}

func addMethods(m map[[4]byte][]candidate, a *abi.ABI, source string) {
	for _, meth := range sortedMethods(a) {
		var sel [4]byte
		copy(sel[:], meth.ID)
		m[sel] = append(m[sel], candidate{meth, source})
	}
}

// sortedMethods returns methods in a stable order (abi.ABI holds a map).
func sortedMethods(a *abi.ABI) []*abi.Method {
	names := make([]string, 0, len(a.Methods))
	for n := range a.Methods {
		names = append(names, n)
	}
	slices.Sort(names)
	out := make([]*abi.Method, len(names))
	for i, n := range names {
		m := a.Methods[n]
		out[i] = &m
	}
	return out
}

// fourbyte builds a method from the selector table's signature; its
// parameters have no names, so they are called arg0, arg1, ...
func fourbyte(sel [4]byte) (*abi.Method, bool) {
	sig, ok := selector.Lookup(sel)
	if !ok {
		return nil, false
	}
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
