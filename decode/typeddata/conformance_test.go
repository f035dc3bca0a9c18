package typeddata

import (
	"bufio"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

// conformanceFile sits beside the project checkout (see shared/conformance).
const conformanceFile = "../../../shared/conformance/eip712.jsonl"

type hashes struct {
	DomainSeparator string `json:"domainSeparator"`
	HashStruct      string `json:"hashStruct"`
	SigningHash     string `json:"signingHash"`
	EncodeType      string `json:"encodeType"`
	TypeHash        string `json:"typeHash"`
	Signature       *struct {
		V byte   `json:"v"`
		R string `json:"r"`
		S string `json:"s"`
	} `json:"signature"`
}

type conformanceCase struct {
	Name            string            `json:"name"`
	TypedData       json.RawMessage   `json:"typed_data"`
	Published       hashes            `json:"expected_published"`
	Computed        hashes            `json:"computed"`
	Implementations map[string]string `json:"implementations"`
	Signer          *struct {
		PrivateKey string `json:"privateKey"`
		Address    string `json:"address"`
	} `json:"signer"`
}

// loadConformance reads the shared vectors, or skips when the directory is
// not beside the checkout.
func loadConformance(tb testing.TB) []conformanceCase {
	tb.Helper()
	f, err := os.Open(conformanceFile)
	if errors.Is(err, fs.ErrNotExist) {
		tb.Skipf("conformance vectors not found at %s (shared/ must sit beside the checkout)", conformanceFile)
	}
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var cases []conformanceCase
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var c conformanceCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			tb.Fatalf("%s: %v", conformanceFile, err)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	if len(cases) == 0 {
		tb.Fatalf("%s has no cases", conformanceFile)
	}
	return cases
}

func TestConformance(t *testing.T) {
	for _, c := range loadConformance(t) {
		t.Run(c.Name, func(t *testing.T) {
			td, err := Parse(c.TypedData, nil)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			have := map[string]string{
				"domainSeparator": td.DomainSeparator.Hex(),
				"hashStruct":      td.StructHash.Hex(),
				"signingHash":     td.SigningHash.Hex(),
				"encodeType":      encodeTypeOf(t, c.TypedData, td.PrimaryType),
			}
			have["typeHash"] = crypto.Keccak256Hash([]byte(have["encodeType"])).Hex()
			for _, want := range []struct {
				source string
				h      hashes
			}{{"computed", c.Computed}, {"expected_published", c.Published}} {
				for k, w := range map[string]string{
					"domainSeparator": want.h.DomainSeparator,
					"hashStruct":      want.h.HashStruct,
					"signingHash":     want.h.SigningHash,
					"encodeType":      want.h.EncodeType,
					"typeHash":        want.h.TypeHash,
				} {
					if w != "" && !strings.EqualFold(have[k], w) {
						t.Errorf("%s %s:\nhave %s\nwant %s", want.source, k, have[k], w)
					}
				}
			}
			if c.Computed.SigningHash == "" {
				t.Error("case has no computed signingHash")
			}
			// Every implementation that produced a digest must agree with us;
			// the ones that refused are the decisions documented in doc.go.
			for impl, digest := range c.Implementations {
				if strings.HasPrefix(digest, "0x") && !strings.EqualFold(digest, td.SigningHash.Hex()) {
					t.Errorf("%s signs %s, we show %s", impl, digest, td.SigningHash.Hex())
				}
			}
			checkAgainstGoEthereum(t, c, td)
			checkSigner(t, c, td)
		})
	}
}

// encodeTypeOf recomputes encodeType(primaryType) from the case's types.
func encodeTypeOf(t *testing.T, data []byte, primary string) string {
	var top struct {
		Types json.RawMessage `json:"types"`
	}
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatal(err)
	}
	s, err := parseTypes(top.Types)
	if err != nil {
		t.Fatal(err)
	}
	return s.encodeType(primary)
}

// checkAgainstGoEthereum hashes with apitypes where it accepts the case, so
// our own encoder is held to go-ethereum's wherever both can run.
func checkAgainstGoEthereum(t *testing.T, c conformanceCase, td *TypedData) {
	var raw apitypes.TypedData
	if err := json.Unmarshal(c.TypedData, &raw); err != nil {
		t.Fatal(err)
	}
	digest, _, err := apitypes.TypedDataAndHash(raw)
	recorded := c.Implementations["go-ethereum@1.17.10 apitypes.TypedDataAndHash"]
	switch {
	case err != nil && strings.HasPrefix(recorded, "0x"):
		t.Errorf("go-ethereum refused a case it is recorded to accept: %v", err)
	case err != nil:
		t.Logf("go-ethereum refuses, as recorded: %v", err)
	case common.BytesToHash(digest) != td.SigningHash:
		t.Errorf("go-ethereum signs %x, we show %s", digest, td.SigningHash.Hex())
	}
}

// checkSigner recovers the published signature's signer from our digest,
// and signs with the case's key to check the address it names.
func checkSigner(t *testing.T, c conformanceCase, td *TypedData) {
	if c.Signer == nil {
		return
	}
	want := common.HexToAddress(c.Signer.Address)
	if c.Signer.PrivateKey == "keccak256('cow')" {
		key, err := crypto.ToECDSA(crypto.Keccak256([]byte("cow")))
		if err != nil {
			t.Fatal(err)
		}
		if have := crypto.PubkeyToAddress(key.PublicKey); have != want {
			t.Errorf("key keccak256('cow') is %s, case says %s", have.Hex(), want.Hex())
		}
	} else {
		t.Errorf("unknown private key recipe %q", c.Signer.PrivateKey)
	}
	sig := c.Published.Signature
	if sig == nil {
		t.Logf("no published signature to recover")
		return
	}
	raw := append(append(hexutil.MustDecode(sig.R), hexutil.MustDecode(sig.S)...), sig.V-27)
	pub, err := crypto.SigToPub(td.SigningHash[:], raw)
	if err != nil {
		t.Fatalf("recover: %v", err)
	}
	if have := crypto.PubkeyToAddress(*pub); have != want {
		t.Errorf("published signature recovers %s, want %s", have.Hex(), want.Hex())
	}
}
