package solidity

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// openZeppelin is the OpenZeppelin sources in fixtures/diff/testdata,
// concatenated (one file of many contracts still scans).
func openZeppelin(t testing.TB) []byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(corpusDir, "testdata", "*.sol"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no OpenZeppelin sources: %v", err)
	}
	var all bytes.Buffer
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
		all.WriteByte('\n')
	}
	return all.Bytes()
}

// TestOpenZeppelin checks a few facts of real, well-formed sources.
func TestOpenZeppelin(t *testing.T) {
	f, err := Scan(openZeppelin(t))
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*Contract{}
	for _, c := range f.Contracts {
		byName[c.Name] = c
	}
	erc20 := byName["ERC20Upgradeable"]
	if erc20 == nil {
		t.Fatal("ERC20Upgradeable not found")
	}
	var names []string
	for _, v := range storageVars(erc20) {
		names = append(names, v.Name+" "+v.Type)
	}
	want := "[_balances mapping(address => uint256) _allowances mapping(address => mapping(address => uint256)) _totalSupply uint256 _name string _symbol string __gap uint256[45]]"
	if got := fmt.Sprint(names); got != want {
		t.Errorf("ERC20Upgradeable storage:\ngot:  %s\nwant: %s", got, want)
	}
	if gov := byName["Governor"]; gov == nil || gov.Kind != "abstract contract" || len(gov.Bases) < 4 {
		t.Errorf("Governor: %+v", gov)
	}
	if changes := Diff(f, f); len(changes) != 0 {
		t.Errorf("self-diff: %v", changes)
	}
}

func BenchmarkScan(b *testing.B) {
	src := openZeppelin(b)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Scan(src); err != nil {
			b.Fatal(err)
		}
	}
}
