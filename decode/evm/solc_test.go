package evm

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"testing"
)

// solcBuilds is testdata/solc/builds.json (see its build.mjs): real
// OpenZeppelin contracts compiled by solc-js, legacy and viaIR.
type solcBuilds struct {
	Compiler string `json:"compiler"`
	Builds   []struct {
		Name      string   `json:"name"`
		ViaIR     bool     `json:"viaIR"`
		Creation  string   `json:"creation"`
		Runtime   string   `json:"runtime"`
		Selectors []string `json:"selectors"`
	} `json:"builds"`
}

// TestSolcBuilds checks each build both ways round: its runtime is runtime
// code with every selector solc lists, and its creation code is creation
// code whose runtime has the same selectors. viaIR's runtime once read as
// creation code (a UUPS implementation lost all its functions).
func TestSolcBuilds(t *testing.T) {
	raw, err := os.ReadFile("testdata/solc/builds.json")
	if err != nil {
		t.Fatal(err)
	}
	var bs solcBuilds
	if err := json.Unmarshal(raw, &bs); err != nil {
		t.Fatal(err)
	}
	if len(bs.Builds) < 6 {
		t.Fatalf("%d builds, want at least 3 contracts x 2 pipelines", len(bs.Builds))
	}
	for _, b := range bs.Builds {
		want := make([]string, len(b.Selectors))
		for i, s := range b.Selectors {
			want[i] = "0x" + s
		}
		for _, form := range []string{FormRuntime, FormCreation} {
			t.Run(fmt.Sprintf("%s/viaIR=%v/%s", b.Name, b.ViaIR, form), func(t *testing.T) {
				h := b.Runtime
				if form == FormCreation {
					h = b.Creation
				}
				code, err := hex.DecodeString(h)
				if err != nil {
					t.Fatal(err)
				}
				a, err := Analyze(code)
				if err != nil {
					t.Fatal(err)
				}
				if a.Form != form {
					t.Errorf("form %q, want %q (runtime at %d, %d bytes)", a.Form, form, a.RuntimeOffset, a.RuntimeSize)
				}
				if !slices.Equal(a.Selectors, want) {
					t.Errorf("selectors %v, want %v", a.Selectors, want)
				}
				for _, c := range a.Concerns {
					if form == FormRuntime && c.Part == PartConstructor {
						t.Errorf("runtime concern %v labelled constructor", c)
					}
				}
			})
		}
	}
}
