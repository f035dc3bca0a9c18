package solc

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const pairs = "../../fixtures/diffbuild/testdata"

// readGz reads a kept build file.
func readGz(t testing.TB, name string) []byte {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(z)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func write(t testing.TB, name string, b []byte) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// TestLoadShapes: every shape a build comes in reads the same sources;
// what is not a build is a one-line error that says what to give.
func TestLoadShapes(t *testing.T) {
	info := readGz(t, filepath.Join(pairs, "token-mint-through-helper", "old.json.gz"))
	var bi struct {
		Input  json.RawMessage `json:"input"`
		Output json.RawMessage `json:"output"`
	}
	if err := json.Unmarshal(info, &bi); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	hh3in, _ := json.Marshal(map[string]any{"_format": "hh3-sol-build-info-1", "input": bi.Input})
	hh3out, _ := json.Marshal(map[string]any{"output": bi.Output})
	write(t, filepath.Join(dir, "hh3", "artifacts", "build-info", "x.json"), hh3in)
	write(t, filepath.Join(dir, "hh3", "artifacts", "build-info", "x.output.json"), hh3out)
	for _, tc := range []struct {
		name, path, wantErr string
	}{
		{"build-info file", write(t, filepath.Join(dir, "bi.json"), info), ""},
		{"gzipped build-info", filepath.Join(pairs, "token-mint-through-helper", "old.json.gz"), ""},
		{"standard-JSON output alone", write(t, filepath.Join(dir, "out.json"), bi.Output), ""},
		{"Foundry project root", filepath.Dir(filepath.Dir(write(t, filepath.Join(dir, "forge", "out", "build-info", "a.json"), info))) + "/..", ""},
		{"Hardhat build-info directory", filepath.Dir(write(t, filepath.Join(dir, "hh", "artifacts", "build-info", "a.json"), info)), ""},
		{"Hardhat 3: input and output apart", filepath.Join(dir, "hh3"), ""},
		{"missing", filepath.Join(dir, "nope.json"), "no such file"},
		{"not JSON", write(t, filepath.Join(dir, "bad.json"), []byte("{\"output\": [")), "not compiler output"},
		{"JSON of another kind", write(t, filepath.Join(dir, "pkg.json"), []byte(`{"name": "x", "version": "1.0.0"}`)), "no compiler output found"},
		{"a directory without builds", t.TempDir(), "no compiler output found"},
		{"no AST selected", write(t, filepath.Join(dir, "noast.json"), []byte(`{"sources": {"a.sol": {"id": 0}}}`)), "has no AST"},
		{"a Vyper build", write(t, filepath.Join(dir, "vy.json"), []byte(`{"input": {"language": "Vyper", "sources": {}}, "output": {"sources": {"a.vy": {"ast": {}}}}}`)), "Solidity's compiler output only"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Load(tc.path)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("have %v, want one line containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := b.Sources["src/FeeToken.sol"]; !ok || len(b.Sources) != 7 {
				t.Errorf("sources %v, want the 7 the compiler read", slices.Sorted(func(yield func(string) bool) {
					for k := range b.Sources {
						yield(k)
					}
				}))
			}
		})
	}
}

// TestFacts: what the compiler's facts say of two real contracts.
func TestFacts(t *testing.T) {
	token, err := Load(filepath.Join(pairs, "token-mint-through-helper", "old.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	ft := token.Facts()["FeeToken"]
	if ft == nil {
		t.Fatal("no FeeToken")
	}
	vault, err := Load(filepath.Join(pairs, "vault-storage-inserted", "old.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	v := vault.Facts()["Vault"]
	lender, err := Load(filepath.Join(pairs, "lender-withdraw-pays-before-update", "new.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	pays := lender.Facts()["PricedLender"].Entries["withdrawCollateral(uint256)"]
	pair, err := Load(filepath.Join(pairs, "pair-invariant-constant", "old.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	swap := pair.Facts()["MiniPair"].Entries["swap(uint256,uint256,address)"]
	drop, err := Load(filepath.Join(pairs, "review-reentry-nft-safemint", "new.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	freeMint := drop.Facts()["Drop"].Entries["freeMint()"]
	bank, err := Load(filepath.Join(pairs, "quiet-review-reentry-lock-oddname", "new.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	busy := bank.Facts()["Bank"].Entries
	permit, err := Load(filepath.Join(pairs, "permit-nonce-not-used", "old.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	permits := permit.Facts()["Game"].Entries["permit(address,address,uint256,uint256,uint8,bytes32,bytes32)"]
	for _, tc := range []struct {
		name       string
		have, want any
	}{
		{"onlyOwner through Ownable's _checkOwner", ft.Entries["setTreasury(address)"].Checks, []string{"@sender==owner"}},
		{"a transfer checks no caller", ft.Entries["transfer(address,uint256)"].Checks, []string(nil)},
		{"the caller's own transfer is no action", ft.Entries["transfer(address,uint256)"].Actions[Transfer], []string(nil)},
		{"transferFrom moves someone else's tokens", ft.Entries["transferFrom(address,address,uint256)"].Actions[Transfer], []string{fromOther}},
		{"transferOwnership writes the owner", ft.Entries["transferOwnership(address)"].Actions[Authority], []string{"_owner"}},
		{"a constant's value", ft.Constants["FEE_BPS"], "30"},
		{"a plain token is not upgradeable", ft.Upgradeable, false},
		{"bases, linearised", ft.Bases[:3], []string{"FeeToken", "Ownable", "ERC20"}},
		{"UUPS is upgradeable", v.Upgradeable, true},
		{"the implementation disables initializers", v.InitDisabled, true},
		{"initialize is an initializer", v.Entries["initialize(IERC20,address)"].Initializer, true},
		{"upgradeToAndCall is checked by _authorizeUpgrade's onlyOwner", v.Entries["upgradeToAndCall(address,bytes)"].Checks, []string{"@sender==owner"}},
		{"upgradeToAndCall upgrades", hasKey(v.Entries["upgradeToAndCall(address,bytes)"].Actions, Upgrade), true},
		{"storage, in slot order", labels(v.Layout), []string{"asset", "totalShares", "shares", "withdrawFeeBps"}},
		{"withdraw writes its shares before SafeERC20's call into the token", v.Entries["withdraw(uint256)"].EarlyWrites, []string{"shares", "totalShares"}},
		{"pulling the caller's tokens is no reentry point: deposit credits after it, safely", v.Entries["deposit(uint256)"].EarlyWrites, []string{"shares", "totalShares"}},
		{"a view call (the price feed) is no external call", pays.EarlyWrites, []string(nil)},
		{"collateral written after the call that pays", pays.LateWrites, []string{"collateral"}},
		{"no lock on the lender", pays.Locked, false},
		{"Uniswap's lock modifier is a lock", swap.Locked, true},
		{"_safeMint's receiver hook (a try call) comes before minted is set", freeMint.LateWrites, []string{"minted", "nextId"}},
		{"ERC721's approvals, checked and cleared before the hook, are no lock", freeMint.Locked, false},
		{"a lock by what it does, whatever its name", busy["withdrawAll()"].Locked, true},
		{"a deposit with no lock", busy["deposit()"].Locked, false},
		{"a deposit takes ETH", busy["deposit()"].Payable, true},
		{"a deposit credits the caller only", busy["deposit()"].KeyedWrites, []string(nil)},
		{"a transfer writes at a key the caller names", busy["transferBalance(address,uint256)"].KeyedWrites, []string{"balances"}},
		{"a permit accepts a signature", signed(permits), true},
		{"a permit spends its nonce", permits.Writes, []string{"_allowances", "_nonces"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hj, _ := json.Marshal(tc.have)
			wj, _ := json.Marshal(tc.want)
			if string(hj) != string(wj) {
				t.Errorf("have %s, want %s", hj, wj)
			}
		})
	}
}

func labels(l []Slot) []string {
	var out []string
	for _, s := range l {
		out = append(out, s.Label)
	}
	return out
}

// TestSelfCompareQuiet: a build compared with itself changes nothing.
func TestSelfCompareQuiet(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(pairs, "*", "*.json.gz"))
	if len(files) == 0 {
		t.Fatal("no kept builds")
	}
	for _, f := range files {
		b, err := Load(f)
		if err != nil {
			t.Fatal(err)
		}
		if cs := Compare(b, b); len(cs) > 0 {
			t.Errorf("%s against itself: %v", f, cs)
		}
	}
}

// FuzzLoad: any bytes as a build file load or fail with an error, never
// panic; what loads compares with itself as no change.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(`{"sources": {"a.sol": {"ast": {"nodeType": "SourceUnit", "nodes": [{"nodeType": "ContractDefinition", "contractKind": "contract", "name": "A", "id": 1, "linearizedBaseContracts": [1]}]}}}}`))
	f.Add([]byte(`{"input": {"language": "Solidity", "sources": {"a.sol": {"content": "x"}}}, "output": {"sources": {}}}`))
	f.Add(readGz(f, filepath.Join(pairs, "quiet-pair-named-constants", "old.json.gz")))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		name := filepath.Join(dir, "b.json")
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
		bd, err := Load(name)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("a two-line error: %q", err)
			}
			return
		}
		if cs := Compare(bd, bd); len(cs) > 0 {
			t.Errorf("against itself: %v", cs)
		}
	})
}

func hasKey[V any](m map[string]V, k string) bool {
	_, ok := m[k]
	return ok
}

// TestUnjudgedSource: a changed file whose code no deployable contract
// holds (a library nothing calls) is said, not passed as judged.
func TestUnjudgedSource(t *testing.T) {
	name := filepath.Join(pairs, "token-mint-through-helper", "old.json.gz")
	o, err := Load(name)
	if err != nil {
		t.Fatal(err)
	}
	n, err := Load(name)
	if err != nil {
		t.Fatal(err)
	}
	n.Sources["src/Unused.sol"] = &Source{Path: "src/Unused.sol", Hash: "new", AST: &Node{NodeType: "SourceUnit",
		Nodes: []*Node{{NodeType: "ContractDefinition", ContractKind: "library", Name: "Unused"}}}}
	var have []string
	for _, c := range Compare(o, n) {
		have = append(have, string(c.Kind)+" "+c.Path)
	}
	if want := []string{string(SourceUnjudged) + " src/Unused.sol"}; !slices.Equal(have, want) {
		t.Errorf("have %q, want %q", have, want)
	}
}

// TestSummaryOrder: a write is early until the first external call on
// the way to it; a callee's writes after the caller's call are late.
func TestSummaryOrder(t *testing.T) {
	callee := &summary{}
	callee.write("c")
	callee.called = true
	callee.write("d")
	for _, tc := range []struct {
		name                string
		calledFirst         bool
		wantEarly, wantLate []string
	}{
		{"the callee runs before any call", false, []string{"a", "c"}, []string{"d"}},
		{"the callee runs after a call", true, []string{"a"}, []string{"c", "d"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &summary{}
			s.write("a")
			s.called = tc.calledFirst
			s.merge(callee)
			if got := sortedKeys(s.early); !slices.Equal(got, tc.wantEarly) {
				t.Errorf("early = %v, want %v", got, tc.wantEarly)
			}
			if got := sortedKeys(s.late); !slices.Equal(got, tc.wantLate) {
				t.Errorf("late = %v, want %v", got, tc.wantLate)
			}
			if !s.called {
				t.Error("the callee's call is not carried")
			}
		})
	}
}

func TestNarrows(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		want     bool
	}{
		{"uint256", "uint64", true},
		{"int256", "int128", true},
		{"uint", "uint96", true},
		{"uint256", "int8", true},
		{"uint64", "uint256", false},
		{"uint256", "uint256", false},
		{"uint160", "address", false},
		{"bytes32", "bytes4", false},
		{"int_const 3", "uint8", false}, // a literal: a constant, not a run-time value
	} {
		if got := narrows(tc.from, tc.to); got != tc.want {
			t.Errorf("narrows(%q, %q) = %v, want %v", tc.from, tc.to, got, tc.want)
		}
	}
}
