package evm

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// TestKnownTables recomputes every selector and slot constant from its
// name, so a typo in a table cannot silently change a fact.
func TestKnownTables(t *testing.T) {
	check := func(k known) {
		if got := binary.BigEndian.Uint32(crypto.Keccak256([]byte(k.sig))[:4]); got != k.sel {
			t.Errorf("%s: selector %08x, table says %08x", k.sig, got, k.sel)
		}
	}
	for _, i := range interfaces {
		for _, k := range i.sels {
			check(k)
		}
	}
	for _, k := range append([]known{selProxiableUUID, selMasterCopy, selDiamondCut, selFacets, selFacetAddress}, permit2Calls...) {
		check(k)
	}
	for _, s := range knownSlots {
		h := new(big.Int).SetBytes(crypto.Keccak256([]byte(s.name)))
		if strings.HasPrefix(s.name, "eip1967.") {
			h.Sub(h, big.NewInt(1))
		}
		if got := common.BigToHash(h); got != s.slot {
			t.Errorf("%s: slot %x, table says %x", s.name, got, s.slot)
		}
	}
}

// corpusEntry by source path suffix, for tests on real compiled contracts.
func corpusCode(t *testing.T, suffix string) []byte {
	t.Helper()
	for _, e := range corpus(t) {
		if strings.HasSuffix(e.Source, suffix) {
			return e.code
		}
	}
	t.Fatalf("no corpus entry %s", suffix)
	return nil
}

func TestAnalyzeProxies(t *testing.T) {
	implSlot := "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc"
	for _, tc := range []struct {
		name       string
		have       []byte
		wantProxy  []string
		wantTarget []string // of the first runtime DELEGATECALL
		wantSlot   string
	}{
		{"EIP-1167 minimal proxy", fixture(t, "eip1167-proxy"), []string{ProxyEIP1167}, []string{TargetConstant}, ""},
		{"EIP-7702 designator", fixture(t, "eip7702-designator"), []string{ProxyEIP7702}, nil, ""},
		// The implementation reaches DELEGATECALL through an internal
		// function's return: the site's target is unknown, the proxy kind
		// still shows.
		{"OpenZeppelin 4.9 ERC1967Proxy", corpusCode(t, "contracts@4.9.6/build/contracts/ERC1967Proxy.json"),
			[]string{ProxyEIP1967}, []string{TargetUnknown}, ""},
		{"OpenZeppelin 4.9 TransparentUpgradeableProxy", corpusCode(t, "contracts@4.9.6/build/contracts/TransparentUpgradeableProxy.json"),
			[]string{ProxyEIP1967}, nil, ""},
		{"OpenZeppelin 4.9 BeaconProxy", corpusCode(t, "contracts@4.9.6/build/contracts/BeaconProxy.json"),
			[]string{ProxyBeacon}, nil, ""},
		{"Safe 1.3.0 proxy", corpusCode(t, "safe-contracts@1.3.0:proxies/GnosisSafeProxy.sol"),
			[]string{ProxySafe}, []string{TargetStorage}, ""},
		{"Safe 1.4.1 proxy", corpusCode(t, "safe-contracts@1.4.1:proxies/SafeProxy.sol"),
			[]string{ProxySafe}, []string{TargetStorage}, ""},
		{"hand-written EIP-1967 proxy", asm(t, `
			CALLDATASIZE PUSH0 DUP1 CALLDATACOPY
			PUSH0 DUP1 CALLDATASIZE PUSH0 PUSH32 `+implSlot+` SLOAD GAS DELEGATECALL
			RETURNDATASIZE PUSH0 DUP1 RETURNDATACOPY PUSH1 0x2a JUMPI RETURNDATASIZE PUSH0 REVERT
			JUMPDEST RETURNDATASIZE PUSH0 RETURN`),
			[]string{ProxyEIP1967}, []string{TargetStorage}, SlotEIP1967Implementation},
		{"diamond: diamondCut in the dispatcher", asm(t, `
			PUSH0 CALLDATALOAD PUSH1 0xe0 SHR DUP1 PUSH4 0x1f931c1c EQ PUSH2 @f JUMPI
			PUSH0 DUP1 REVERT f: JUMPDEST STOP`),
			[]string{ProxyDiamond}, nil, ""},
		{"UUPS: proxiableUUID in the dispatcher", asm(t, `
			PUSH0 CALLDATALOAD PUSH1 0xe0 SHR DUP1 PUSH4 0x52d1902d EQ PUSH2 @f JUMPI
			PUSH0 DUP1 REVERT f: JUMPDEST STOP`),
			[]string{ProxyUUPS}, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Analyze(tc.have)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range tc.wantProxy {
				if !slices.Contains(a.Proxy, k) {
					t.Errorf("proxy %v, want it to contain %s", a.Proxy, k)
				}
			}
			if tc.wantTarget == nil {
				return
			}
			for _, c := range a.Concerns {
				if c.Op != "DELEGATECALL" || c.Part != "" {
					continue
				}
				if !slices.Equal(c.Target, tc.wantTarget) || tc.wantSlot != "" && c.SlotName != tc.wantSlot {
					t.Errorf("DELEGATECALL target %v slot %q, want %v %q", c.Target, c.SlotName, tc.wantTarget, tc.wantSlot)
				}
				return
			}
			t.Errorf("no DELEGATECALL in %+v", a.Concerns)
		})
	}
}

// TestSafeProxyLookalikes: the masterCopy() marker alone does not make a
// Safe proxy, which TG802 trusts: its DELEGATECALLs must all go to slot 0,
// and it must write no storage.
func TestSafeProxyLookalikes(t *testing.T) {
	const marker = "PUSH4 0x2cf35bc9 PUSH1 0xe1 SHL POP " // -masterCopy(), as solc compares it
	for _, tc := range []struct{ name, have string }{
		{"delegates to slot 5", marker + "PUSH0 DUP1 CALLDATASIZE PUSH0 PUSH1 0x05 SLOAD GAS DELEGATECALL STOP"},
		{"writes slot 0 first", marker + "PUSH1 0x04 CALLDATALOAD PUSH0 SSTORE PUSH0 DUP1 CALLDATASIZE PUSH0 PUSH0 SLOAD GAS DELEGATECALL STOP"},
		{"delegates to a caller's address too", marker + "PUSH0 DUP1 CALLDATASIZE PUSH0 PUSH0 SLOAD GAS DELEGATECALL PUSH0 DUP1 CALLDATASIZE PUSH0 PUSH1 0x04 CALLDATALOAD GAS DELEGATECALL STOP"},
	} {
		a, err := Analyze(asm(t, tc.have))
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(a.Proxy, ProxySafe) {
			t.Errorf("%s: read as a Safe proxy", tc.name)
		}
	}
	// The same marker with slot 0 and no SSTORE is one.
	a, _ := Analyze(asm(t, marker+"PUSH0 DUP1 CALLDATASIZE PUSH0 PUSH0 SLOAD GAS DELEGATECALL STOP"))
	if !slices.Equal(a.Proxy, []string{ProxySafe}) {
		t.Errorf("slot 0: proxy %v, want safe-proxy", a.Proxy)
	}
}

// TestAnalyzeFactory: Safe's proxy factory holds its proxy's creation code;
// the proxy's DELEGATECALL is the deployed code's, and the factory is no
// proxy.
func TestAnalyzeFactory(t *testing.T) {
	a, err := Analyze(corpusCode(t, "safe-contracts@1.4.1/build/artifacts/contracts/proxies/SafeProxyFactory.sol/SafeProxyFactory.json"))
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, c := range a.Concerns {
		parts = append(parts, c.Op+" "+c.Part)
	}
	if want := []string{"CREATE2 ", "DELEGATECALL " + PartDeployed}; !slices.Equal(parts, want) || len(a.Proxy) != 0 {
		t.Errorf("concerns %q, proxy %v; want %q and no proxy", parts, a.Proxy, want)
	}
}

// TestProxyKindsCorpus holds every build of every corpus contract to the
// proxy kinds it has, so a new heuristic cannot call a token, or a factory,
// a proxy. Solc
// builds with optimizer runs 200 and via-IR keep the EIP-1967 slot in the
// data after the code; OpenZeppelin 5's BeaconProxy keeps its beacon in an
// immutable.
func TestProxyKindsCorpus(t *testing.T) {
	want := map[string][]string{
		"BeaconProxy":                 {ProxyBeacon},
		"ERC1967Proxy":                {ProxyEIP1967},
		"TransparentUpgradeableProxy": {ProxyEIP1967},
		"UpgradeableProxy":            {ProxyEIP1967},
		"GnosisSafeProxy":             {ProxySafe},
		"SafeProxy":                   {ProxySafe},
		"DelegateConstructorProxy":    {ProxySafe},
		// Factories hold the creation code of the proxies they deploy:
		// they are not proxies (ProxyFactory, SafeProxyFactory,
		// PoolAddressesProvider, ConfiguratorLogic).
	}
	for _, e := range corpus(t) {
		a, err := Analyze(e.code)
		if err != nil {
			t.Fatal(err)
		}
		w := want[e.Name]
		if strings.HasSuffix(e.Name, "UpgradeabilityProxy") { // Aave's
			w = []string{ProxyEIP1967}
		}
		if !slices.Equal(a.Proxy, w) {
			t.Errorf("%s (%s, %s, optimizer %s, via-IR %v): proxy %v, want %v", e.Name, e.Source, e.Compiler, e.Optimizer, e.ViaIR, a.Proxy, w)
		}
	}
}

func hasDelegate(a *Analysis) bool {
	for _, c := range a.Concerns {
		if c.Op == "DELEGATECALL" {
			return true
		}
	}
	return false
}

func TestAnalyzeConcerns(t *testing.T) {
	target := common.HexToAddress("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
	for _, tc := range []struct {
		name string
		have string
		want []string // "OP target"
	}{
		{"DELEGATECALL to a calldata address", `
			PUSH0 DUP1 PUSH0 DUP1 PUSH1 0x04 CALLDATALOAD PUSH20 0xffffffffffffffffffffffffffffffffffffffff AND GAS DELEGATECALL STOP`,
			[]string{"DELEGATECALL calldata"}},
		{"DELEGATECALL to a constant", `
			PUSH0 DUP1 PUSH0 DUP1 PUSH20 0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc GAS DELEGATECALL STOP`,
			[]string{"DELEGATECALL constant"}},
		{"DELEGATECALL to a packed storage address, across a jump", `
			PUSH0 DUP1 PUSH0 DUP1 PUSH1 0x03 SLOAD PUSH1 0x08 SHR PUSH1 0x01 PUSH1 0x01 PUSH1 0xa0 SHL SUB AND
			PUSH2 @call JUMP
			call: JUMPDEST GAS DELEGATECALL STOP`,
			[]string{"DELEGATECALL storage"}},
		{"DELEGATECALL to the contract itself, as a multicall does", `
			PUSH0 DUP1 PUSH0 DUP1 ADDRESS GAS DELEGATECALL STOP`,
			[]string{"DELEGATECALL self"}},
		{"DELEGATECALL whose address comes from memory", `
			PUSH0 DUP1 PUSH0 DUP1 PUSH1 0x40 MLOAD GAS DELEGATECALL STOP`,
			[]string{"DELEGATECALL unknown"}},
		{"CALLCODE, SELFDESTRUCT to the caller, CREATE2, ORIGIN", `
			PUSH0 DUP1 PUSH0 DUP1 PUSH0 PUSH20 0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc GAS CALLCODE
			PUSH0 DUP1 DUP1 DUP1 CREATE2 ORIGIN CALLER SELFDESTRUCT`,
			[]string{"CALLCODE constant", "CREATE2 ", "ORIGIN ", "SELFDESTRUCT unknown"}},
		// new C(): solc appends C's creation code behind an INVALID.
		// (A computed jump in the factory: any JUMPDEST may be entered,
		// the child's too, so its DELEGATECALL is still judged.)
		{"a DELEGATECALL in the creation code it appends is labelled the deployed contract's", `
			PUSH0 DUP1 DUP1 CREATE PUSH0 CALLDATALOAD JUMP INVALID
			PUSH1 0x80 PUSH1 0x40 MSTORE JUMPDEST PUSH0 DUP1 PUSH0 DUP1 PUSH1 0x04 CALLDATALOAD GAS DELEGATECALL STOP`,
			[]string{"CREATE ", "DELEGATECALL calldata [code it deploys]"}},
		{"creation code it appends that nothing can jump into does not run", `
			PUSH0 DUP1 DUP1 CREATE STOP INVALID
			PUSH1 0x80 PUSH1 0x40 MSTORE JUMPDEST PUSH0 DUP1 PUSH0 DUP1 PUSH1 0x04 CALLDATALOAD GAS DELEGATECALL STOP`,
			[]string{"CREATE "}},
		{"code after an INVALID that opens no contract is its own", `
			PUSH1 0x06 JUMP INVALID INVALID INVALID
			JUMPDEST PUSH0 DUP1 PUSH0 DUP1 PUSH1 0x04 CALLDATALOAD GAS DELEGATECALL STOP`,
			[]string{"DELEGATECALL calldata"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Analyze(asm(t, tc.have))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range a.Concerns {
				g := c.Op + " " + strings.Join(c.Target, ",")
				if c.Part != "" {
					g += " [" + c.Part + "]"
				}
				got = append(got, g)
				if c.Op == "CALLCODE" && (c.Address == nil || *c.Address != target) {
					t.Errorf("CALLCODE address %v, want %v", c.Address, target)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("concerns %q, want %q", got, tc.want)
			}
		})
	}
}

func TestAnalyzeAddressesAndInterfaces(t *testing.T) {
	a, err := Analyze(asm(t, `
		PUSH20 0x0000000000000000000000000000000000000000
		PUSH20 0xffffffffffffffffffffffffffffffffffffffff
		PUSH20 0x000000000022d473030f116ddee9f6b43ac78ba3
		PUSH20 0x696e676c65746f6e20616464726573732070726f
		PUSH20 0x000000000022d473030f116ddee9f6b43ac78ba3 STOP`)) // the fourth is "ingleton address pro": text
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Addresses) != 1 || a.Addresses[0] != permit2 {
		t.Errorf("addresses %v, want only Permit2", a.Addresses)
	}
	if !slices.Contains(a.Interfaces, IfacePermit2Aware) {
		t.Errorf("interfaces %v, want permit2-aware", a.Interfaces)
	}
	// Calling Permit2 through an address from storage still encodes its selector.
	a, _ = Analyze(asm(t, `PUSH4 0x30f28b7a PUSH1 0xe0 SHL PUSH0 MSTORE STOP`))
	if !slices.Contains(a.Interfaces, IfacePermit2Aware) {
		t.Errorf("interfaces %v, want permit2-aware from the selector", a.Interfaces)
	}

	a, err = Analyze(fixture(t, "oz-erc20-runtime"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(a.Interfaces, IfaceERC20) || slices.Contains(a.Interfaces, IfaceERC721) {
		t.Errorf("interfaces %v, want erc20 and not erc721", a.Interfaces)
	}
	for _, tc := range []struct{ suffix, iface string }{
		{"contracts@4.9.6/build/contracts/ERC721PresetMinterPauserAutoId.json", IfaceERC721},
		{"contracts@4.9.6/build/contracts/ERC1155PresetMinterPauser.json", IfaceERC1155},
		{"contracts@4.9.6/build/contracts/ERC1155PresetMinterPauser.json", IfaceAccessControl},
		{"contracts@4.9.6/build/contracts/ERC20PresetMinterPauser.json", IfaceERC20},
		{"contracts@4.9.6/build/contracts/TimelockController.json", IfaceAccessControl},
		{"@uniswap/v2-core@1.0.1/build/UniswapV2Pair.json", IfaceEIP2612},
	} {
		a, err := Analyze(corpusCode(t, tc.suffix))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(a.Interfaces, tc.iface) {
			t.Errorf("%s: interfaces %v, want %s", tc.suffix, a.Interfaces, tc.iface)
		}
	}
}

func TestAnalyzeCreation(t *testing.T) {
	creation, runtime := fixture(t, "oz-erc20-creation"), fixture(t, "oz-erc20-runtime")
	a, err := Analyze(creation)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Analyze(runtime)
	if err != nil {
		t.Fatal(err)
	}
	if a.Form != FormCreation || r.Form != FormRuntime {
		t.Fatalf("forms %q %q", a.Form, r.Form)
	}
	if !slices.Equal(a.Selectors, r.Selectors) || len(a.Selectors) == 0 {
		t.Errorf("creation selectors %v, runtime %v", a.Selectors, r.Selectors)
	}
	if a.RuntimeOffset+a.RuntimeSize > len(creation) || a.RuntimeOffset == 0 {
		t.Errorf("runtime at [%d,+%d) of %d", a.RuntimeOffset, a.RuntimeSize, len(creation))
	}
	// EIP-1167's factory prefix: RETURNDATASIZE is 0 before any call.
	proxy := fixture(t, "eip1167-proxy")
	a, err = Analyze(append(common.FromHex("3d602d80600a3d3981f3"), proxy...))
	if err != nil {
		t.Fatal(err)
	}
	if a.Form != FormCreation || a.RuntimeOffset != 10 || a.RuntimeSize != 45 || !slices.Equal(a.Proxy, []string{ProxyEIP1167}) && !hasDelegate(a) {
		t.Errorf("1167 creation: %+v", a)
	}
}

func TestAnalyzeJSON(t *testing.T) {
	a, err := Analyze(fixture(t, "oz-erc20-runtime"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	sels, ok := m["selectors"].([]any)
	if !ok || len(sels) == 0 {
		t.Fatalf("selectors %v in %s", m["selectors"], b)
	}
	for _, s := range sels {
		if str, _ := s.(string); len(str) != 10 || !strings.HasPrefix(str, "0x") || strings.ToLower(str) != str {
			t.Errorf("selector %v is not 0x + 8 lowercase hex digits", s)
		}
	}
	if !slices.IsSortedFunc(sels, func(a, b any) int { return strings.Compare(a.(string), b.(string)) }) {
		t.Errorf("selectors not sorted: %v", sels)
	}
	// No selectors still means an empty list, not null.
	a, _ = Analyze([]byte{0x00})
	b, _ = json.Marshal(a)
	if !strings.Contains(string(b), `"selectors":[]`) {
		t.Errorf("JSON %s, want \"selectors\":[]", b)
	}
	if _, err := Analyze(nil); err == nil || !strings.HasPrefix(err.Error(), "evm: ") {
		t.Errorf("Analyze(nil) error %v", err)
	}
}

// TestImpliedInterfaces: an interface is named when every function that
// tells it apart is present, and not when one is missing.
func TestImpliedInterfaces(t *testing.T) {
	of := func(name string) []known {
		for _, i := range interfaces {
			if i.name == name {
				return i.sels
			}
		}
		t.Fatalf("no interface %s", name)
		return nil
	}
	sels := func(groups ...[]known) []uint32 {
		var out []uint32
		for _, g := range groups {
			for _, k := range g {
				out = append(out, k.sel)
			}
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	erc20, vault := of(IfaceERC20), of(IfaceERC4626)
	for _, tc := range []struct {
		name string
		have []uint32
		want []string
	}{
		{"an ERC-4626 vault is an ERC-20 too", sels(erc20, vault), []string{IfaceERC20, IfaceERC4626}},
		{"a vault without redeem is not ERC-4626", sels(erc20, vault[:len(vault)-1]), []string{IfaceERC20}},
		{"ERC-721 shares balanceOf and approve with ERC-20", sels(of(IfaceERC721)), []string{IfaceERC721}},
		{"owner() alone is not Ownable", sels(of(IfaceOwnable)[:1]), nil},
		{"nothing", nil, nil},
	} {
		if got := impliedInterfaces(tc.have); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestAnalyzeHiddenOrigins: code can hide where a DELEGATECALL's address
// comes from behind a computed jump. The known paths then are not all, and
// the answer must say "unknown", never only "constant" (which TG802 trusts).
func TestAnalyzeHiddenOrigins(t *testing.T) {
	for _, tc := range []struct{ name, have, want string }{
		// An internal call returns the calldata address through a computed
		// JUMP; a dead PUSH1 4 falls through into the return label.
		{"a dead constant before the return label", "600035600e906009565b905660045b5f5f5f5f845af400", "constant,unknown"},
		// The only known predecessor is the loop itself.
		{"a loop back into itself", "600035600c600052600051565b5f5f5f5f845af45f600c5700", "unknown"},
		// No computed jump anywhere: the constant is the only origin.
		{"a constant with no computed jump", "5f5f5f5f733c44cdddb6a900fa2b585dd299e03d12fa4293bc5af400", "constant"},
	} {
		a, err := Analyze(common.FromHex(tc.have))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range a.Concerns {
			if c.Op == "DELEGATECALL" {
				got = append(got, strings.Join(c.Target, ","))
			}
		}
		if !slices.Equal(got, []string{tc.want}) {
			t.Errorf("%s: DELEGATECALL targets %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestAnalyzeTrailerCode: code can jump into its own metadata trailer (a
// JUMPDEST in a CBOR byte string) and run there; what runs is reported.
// A real trailer's hash bytes stay quiet.
func TestAnalyzeTrailerCode(t *testing.T) {
	// PUSH2 9 JUMP, then a trailer {"x": bytes(14)} with JUMPDEST ...
	// DELEGATECALL(calldataload(0)) in the byte string, then "solc".
	a, err := Analyze(common.FromHex("61000956a26178580e5b5b5b5b5f5f5f5f6000355af40064736f6c6343000818001c"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Metadata == nil || len(a.Concerns) != 1 || a.Concerns[0].Part != PartTrailer || !slices.Equal(a.Concerns[0].Target, []string{TargetCalldata}) {
		t.Errorf("metadata %v, concerns %+v; want the trailer's DELEGATECALL from calldata", a.Metadata, a.Concerns)
	}
	if a, _ = Analyze(fixture(t, "oz-erc20-runtime")); len(a.Concerns) != 0 {
		t.Errorf("a real trailer: concerns %+v", a.Concerns)
	}
}

// TestAnalyzeCreationLookalike: code shaped like creation code (copy a
// harmless "runtime" out and return it) can do its work past that span
// when run as runtime code; what lies there is reported.
func TestAnalyzeCreationLookalike(t *testing.T) {
	// CALLDATASIZE PUSH2 0x23 JUMPI, the copy-and-return, INVALID, a 17-byte
	// "runtime", then JUMPDEST ... DELEGATECALL(calldataload(0)).
	a, err := Analyze(common.FromHex("36610023576011601260003960116000f3fe6080604052348015600f57600080fd5b005b5f5f5f5f6000355af400"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range a.Concerns {
		got = append(got, fmt.Sprintf("%s@%d %s", c.Op, c.PC, strings.Join(c.Target, ",")))
	}
	if a.Form != FormCreation || !slices.Equal(got, []string{"DELEGATECALL@44 calldata"}) {
		t.Errorf("form %s, concerns %q; want creation with the DELEGATECALL past the runtime", a.Form, got)
	}
}
