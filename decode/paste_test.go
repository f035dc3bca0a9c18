package decode

import (
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// castJSON is a signed transaction as `cast tx --json` prints it: the
// node's fields with the signature, its hash and its sender; edit changes
// the printed object after signing.
func castJSON(t *testing.T, edit func(map[string]any)) string {
	to := common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
	return castJSONOf(t, &types.DynamicFeeTx{
		ChainID: big.NewInt(1), Nonce: 7, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(3e10), Gas: 21000, To: &to, Value: big.NewInt(5e17)}, edit)
}

// castLegacyJSON is the same for an EIP-155 legacy transaction on chain 1.
func castLegacyJSON(t *testing.T, edit func(map[string]any)) string {
	to := common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
	return castJSONOf(t, &types.LegacyTx{Nonce: 7, GasPrice: big.NewInt(3e10), Gas: 21000, To: &to, Value: big.NewInt(5e17)}, edit)
}

func castJSONOf(t *testing.T, inner types.TxData, edit func(map[string]any)) string {
	t.Helper()
	key, _ := crypto.HexToECDSA("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80") // anvil's first account
	signed, err := types.SignNewTx(key, types.LatestSignerForChainID(big.NewInt(1)), inner)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := signed.MarshalJSON()
	var m map[string]any
	json.Unmarshal(b, &m)
	m["from"] = crypto.PubkeyToAddress(key.PublicKey).Hex()
	m["blockHash"], m["blockNumber"], m["transactionIndex"] = nil, nil, nil
	if edit != nil {
		edit(m)
	}
	out, _ := json.Marshal(m)
	return string(out)
}

func TestPastes(t *testing.T) {
	request := readFixture(t, "request/request-approve.json")
	typed := readFixture(t, "sign/usdc-permit-typeddata.json")
	const signer = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
	for _, tc := range []struct {
		name, have string
		want       Kind
		method     string
		wantErr    string
	}{
		{"MetaMask txParams", `{"id": 1, "status": "unapproved", "origin": "https://app.example", "txParams": ` + request + `}`, KindRequest, "", ""},
		{"MetaMask txParams not an object", `{"txParams": "0x00"}`, "", "", `"txParams" is not an object`},
		{"params: request", `[` + request + `]`, KindRequest, "eth_sendTransaction", ""},
		{"params: raw tx", `["` + strings.TrimSpace(readFixture(t, "tx/dynamicfee-signed.hex")) + `"]`, KindTx, "eth_sendRawTransaction", ""},
		{"params: typed data", `["` + signer + `", ` + typed + `]`, KindTypedData, "eth_signTypedData_v4", ""},
		{"params: personal_sign", `["0x48656c6c6f", "` + signer + `"]`, KindMessage, "personal_sign", ""},
		{"params: eth_sign", `["` + signer + `", "0x` + strings.Repeat("ab", 32) + `"]`, KindHash, "eth_sign", ""},
		{"params: two addresses", `["` + signer + `", "` + signer + `"]`, "", "", "does not"},
		{"params: three", `[1, 2, 3]`, "", "", "paste the whole request"},
		{"cast tx --json", castJSON(t, nil), KindTx, "", ""},
		{"cast tx --json, from changed", castJSON(t, func(m map[string]any) { m["from"] = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" }), "", "",
			"the signature was made by 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266, but \"from\" says 0x70997970C51812dc3A010C7d01b50e0d17dc79C8"},
		{"cast tx --json, value changed", castJSON(t, func(m map[string]any) { m["value"] = "0x1" }), "", "", "do not send it"},
		{"cast tx --json, hash changed", castJSON(t, func(m map[string]any) { m["hash"] = "0x" + strings.Repeat("00", 32) }), "", "", "but \"hash\" says"},
		{"cast tx --json, bad signature", castJSON(t, func(m map[string]any) { m["r"] = "0x0" }), "", "", "signed transaction in JSON"},
		{"cast tx --json, legacy", castLegacyJSON(t, func(m map[string]any) {
			m["chainId"], m["yParity"] = "0x1", map[string]string{"0x25": "0x0", "0x26": "0x1"}[m["v"].(string)]
		}), KindTx, "", ""},
		{"cast tx --json, legacy, another chain printed", castLegacyJSON(t, func(m map[string]any) { m["chainId"] = "0x2105" }), "", "",
			`"chainId" says 8453, but the signature (v = `},
		{"cast tx --json, legacy, parity printed wrong", castLegacyJSON(t, func(m map[string]any) {
			m["yParity"] = map[string]string{"0x25": "0x1", "0x26": "0x0"}[m["v"].(string)]
		}), "", "", `"yParity" says`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Decode([]byte(tc.have), Options{})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				if !prefixed.MatchString(err.Error()) {
					t.Errorf("error %q is not one prefixed line", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Kind != tc.want || res.Method != tc.method {
				t.Errorf("kind %s, method %q; want %s, %q", res.Kind, res.Method, tc.want, tc.method)
			}
			if tc.name == "cast tx --json" && (res.Tx.From == nil || res.Tx.From.Address.Hex() != signer) {
				t.Errorf("sender %v, want %s recovered", res.Tx.From, signer)
			}
		})
	}
}

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
