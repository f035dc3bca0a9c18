package evm

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
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

// TestCreationNeedsTrailer: code that copies bytes from past itself and
// returns them is creation code only if, when it ends in a solc trailer,
// the bytes it returns carry one too (the runtime's own).
func TestCreationNeedsTrailer(t *testing.T) {
	real := fixture(t, "oz-erc20-runtime")
	md := ParseMetadata(real)
	if md == nil {
		t.Fatal("fixture has no trailer")
	}
	trailer := hex.EncodeToString(real[md.Offset:])
	constant := strings.Repeat("36", 32) // proxiableUUID's slot, say
	// A function body returning a 32-byte constant kept after the code, as viaIR writes it.
	returnsConst := "PUSH1 0x20 PUSH2 @c PUSH0 CODECOPY PUSH1 0x20 PUSH0 RETURN INVALID c: hex:" + constant
	// A constructor returning the runtime after it, whatever that is.
	deploys := func(runtime string) string {
		return fmt.Sprintf("PUSH2 0x%04x DUP1 PUSH2 @r PUSH0 CODECOPY PUSH0 RETURN INVALID r: hex:%s", len(runtime)/2, runtime)
	}
	for _, tc := range []struct {
		name, have, want string
	}{
		{"a runtime's constant, before its trailer", returnsConst + " hex:" + trailer, FormRuntime},
		// Without a trailer the layout cannot tell: read as creation code.
		{"a constant, no trailer", returnsConst, FormCreation},
		{"a constructor deploying a runtime with its trailer", deploys(hex.EncodeToString(real)), FormCreation},
		{"a constructor whose runtime has no trailer, no trailer at all", deploys("6080604052600080fd"), FormCreation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Analyze(asm(t, tc.have))
			if err != nil {
				t.Fatal(err)
			}
			if a.Form != tc.want {
				t.Errorf("form %q, want %q", a.Form, tc.want)
			}
		})
	}
}
