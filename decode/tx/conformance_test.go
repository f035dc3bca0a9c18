package tx

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

const txtests = "../../../shared/conformance/txtests.jsonl"

type vector struct {
	Name           string `json:"name"`
	RLP            string `json:"rlp_hex"`
	Valid          bool   `json:"valid"`
	Fork           string `json:"fork"`
	Sender         string `json:"sender"`
	Hash           string `json:"hash"`
	Exception      string `json:"exception"`
	Authorizations []struct {
		Signer string `json:"signer"`
	} `json:"authorizations"`
}

func loadVectors(t testing.TB) []vector {
	f, err := os.Open(txtests)
	if os.IsNotExist(err) {
		t.Skipf("conformance vectors not found at %s (../shared sits beside the checkout)", txtests)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []vector
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var v vector
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// TestConformance runs ethereum/tests and execution-spec-tests vectors.
// Every valid row must decode with its sender and hash. Every invalid row
// must end in exactly one outcome, counted apart: a decode error, decoded
// but no sender recovered, decoded for another chain than the vectors' (a
// fact guard's chain rule judges), or decoded and reported with a
// consensus problem. None may decode clean.
func TestConformance(t *testing.T) {
	var decodeErr, noSender, wrongChain, problem int
	for _, v := range loadVectors(t) {
		raw, err := hexutil.Decode(v.RLP)
		if err != nil {
			t.Fatalf("%s: bad hex in vector: %v", v.Name, err)
		}
		// ethereum/tests validate against chain id 1; the other sources
		// carry transactions of their own chains.
		var chain uint64
		if strings.HasPrefix(v.Name, "ethereum/tests:") {
			chain = 1
		}
		got, err := DecodeRaw(raw, Options{Chain: chain})
		if v.Valid {
			if err != nil {
				t.Errorf("%s: valid row does not decode: %v", v.Name, err)
				continue
			}
			if got.From == nil || !strings.EqualFold(got.From.Address.Hex(), v.Sender) {
				t.Errorf("%s: sender = %v, want %s (problems %q)", v.Name, got.From, v.Sender, got.Problems)
			}
			if v.Hash != "" && (got.Hash == nil || got.Hash.Hex() != common.HexToHash(v.Hash).Hex()) {
				t.Errorf("%s: hash = %v, want %s", v.Name, got.Hash, v.Hash)
			}
			for _, p := range got.Problems {
				// Rows valid before Prague may break its calldata floor.
				if !(v.Fork != "Prague" && strings.Contains(p, "EIP-7623")) {
					t.Errorf("%s: valid row reported problem %q", v.Name, p)
				}
			}
			for i, want := range v.Authorizations {
				if i >= len(got.Authorizations) || got.Authorizations[i].Authority == nil ||
					!strings.EqualFold(got.Authorizations[i].Authority.Address.Hex(), want.Signer) {
					t.Errorf("%s: authorization %d authority, want %s", v.Name, i, want.Signer)
				}
			}
			continue
		}
		switch {
		case err != nil:
			decodeErr++
			if !strings.HasPrefix(err.Error(), "tx: ") {
				t.Errorf("%s: error %q lacks the package prefix", v.Name, err)
			}
		case !got.Signed:
			// The only legal reading of r = s = 0 is a signing payload; it
			// must at least not claim a sender.
			noSender++
			if got.From != nil {
				t.Errorf("%s: unsigned reading claims sender %s", v.Name, got.From.Address.Hex())
			}
		case got.From == nil:
			noSender++
		case chain != 0 && got.ChainID != nil && (!got.ChainID.IsUint64() || got.ChainID.Uint64() != chain):
			// Valid on its own chain; guard's chain-mismatch rule reports it.
			wrongChain++
		case len(got.Problems) > 0:
			problem++
		default:
			t.Errorf("%s: invalid row (%s) decoded clean: sender %s", v.Name, v.Exception, got.From.Address.Hex())
		}
	}
	t.Logf("invalid rows: %d decode errors, %d without a sender, %d for another chain, %d with a consensus problem", decodeErr, noSender, wrongChain, problem)
}
