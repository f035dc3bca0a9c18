package account

import (
	"bytes"
	"encoding/json"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// userOpRequest writes eth_sendUserOperation params: the fields given
// over a base operation that has the account approve USDC without limit;
// a nil value removes a field.
func userOpRequest(t testing.TB, ep common.Address, form string, fields map[string]any) []json.RawMessage {
	t.Helper()
	op := map[string]any{
		"sender":               account.Hex(),
		"nonce":                "0x5",
		"callData":             hexOf(pack(t, "execute(address,uint256,bytes)", usdc, new(big.Int), approveMax(t, attacker))),
		"callGasLimit":         "0x186a0",
		"verificationGasLimit": "0x186a0",
		"preVerificationGas":   "0xc350",
		"maxFeePerGas":         "0x2",
		"maxPriorityFeePerGas": "0x1",
		"signature":            "0x",
	}
	if form == "0.6" {
		op["initCode"], op["paymasterAndData"] = "0x", "0x"
	}
	for k, v := range fields {
		if v == nil {
			delete(op, k)
		} else {
			op[k] = v
		}
	}
	b, err := json.Marshal(op)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := json.Marshal(ep.Hex())
	return []json.RawMessage{b, e}
}

func TestParseUserOperation(t *testing.T) {
	createAccount := pack(t, "createAccount(address,uint256)", account, big.NewInt(0))
	approveCalls := []string{"op.call execute", "op.call.calls[0] approve"}
	for _, tc := range []struct {
		name     string
		have     []json.RawMessage
		chain    uint64
		standard string
		factory  string // label; "" for none
		hashed   bool
		notes    []string
		unread   []string // substrings, each in some unread part; nil: none
	}{
		{
			name: "v0.6 deploying a SimpleAccount",
			have: userOpRequest(t, entryPoint6, "0.6", map[string]any{
				"initCode": hexOf(append(simpleFactory6.Bytes(), createAccount...))}),
			chain: 1, standard: "ERC-4337 EntryPoint v0.6", factory: "SimpleAccountFactory v0.6", hashed: true,
			unread: []string{"factory " + simpleFactory6.Hex() + " (SimpleAccountFactory v0.6) deploys the account with 68 bytes of setup data"},
		},
		{
			name: "v0.7 with an unknown factory and a paymaster",
			have: userOpRequest(t, entryPoint7, "0.7", map[string]any{
				"factory": unknown.Hex(), "factoryData": hexOf(createAccount),
				"paymaster": attacker.Hex(), "paymasterVerificationGasLimit": "0x1", "paymasterPostOpGasLimit": "0x1",
				"paymasterData": "0xdeadbeef"}),
			chain: 1, standard: "ERC-4337 EntryPoint v0.7", factory: "", hashed: true,
			unread: []string{"initCode's factory " + unknown.Hex() + " (unknown) is not a known account factory",
				"deploys the account with 68 bytes", "paymaster " + attacker.Hex() + " (unknown) is handed 4 bytes of paymasterData"},
		},
		{
			name: "v0.7 with ERC-7769's paymasterValidationGasLimit",
			have: userOpRequest(t, entryPoint7, "0.7", map[string]any{
				"paymaster": attacker.Hex(), "paymasterValidationGasLimit": "0x1", "paymasterData": "0x"}),
			chain: 1, standard: "ERC-4337 EntryPoint v0.7", hashed: true,
		},
		{
			name: "v0.8 EIP-7702 account with its authorization",
			have: userOpRequest(t, entryPoint8, "0.7", map[string]any{
				"factory": "0x7702", "eip7702Auth": map[string]string{"address": unknown.Hex(), "chainId": "0x1", "nonce": "0x0", "yParity": "0x0", "r": "0x1", "s": "0x1"}}),
			chain: 1, standard: "ERC-4337 EntryPoint v0.8", factory: "EIP-7702 marker: no factory, the sender is an EOA with delegated code", hashed: true,
			notes: []string{"initCode is the EIP-7702 marker", "the sender's code becomes that of " + unknown.Hex() + " (unknown)"},
		},
		{
			name:  "v0.8 EIP-7702 account without its authorization",
			have:  userOpRequest(t, entryPoint8, "0.7", map[string]any{"factory": "0x7702000000000000000000000000000000000000"}),
			chain: 1, standard: "ERC-4337 EntryPoint v0.8", factory: "EIP-7702 marker: no factory, the sender is an EOA with delegated code",
			notes: []string{"covers the sender's EIP-7702 delegate, which only the chain knows"},
		},
		{
			name:  "no chain",
			have:  userOpRequest(t, entryPoint7, "0.7", nil),
			chain: 0, standard: "ERC-4337 EntryPoint v0.7",
			notes: []string{"the userOpHash binds the chain id, which neither the request nor the caller named"},
		},
		{
			name:  "an unknown entry point, v0.6 keys",
			have:  userOpRequest(t, unknown, "0.6", nil),
			chain: 1, standard: "ERC-4337 UserOperation, v0.6 fields (unknown entry point)", hashed: true,
			notes: []string{"is not a known EntryPoint (v0.6 to v0.9): the operation is read with the v0.6 fields its keys have, and hashed as EntryPoint v0.6 hashes them"},
		},
		{
			name:  "keys that are not fields",
			have:  userOpRequest(t, entryPoint7, "0.7", map[string]any{"note": "x", "memo": 1}),
			chain: 1, standard: "ERC-4337 EntryPoint v0.7", hashed: true,
			notes: []string{`keys that are not UserOperation fields, so not signed: "memo", "note"`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			op, err := ParseUserOperation(tc.have, decoder(), tc.chain)
			if err != nil {
				t.Fatal(err)
			}
			if op.Kind != KindUserOp || op.Account.Address != account || op.Standard != tc.standard || op.Nonce != "5" {
				t.Errorf("op = %s %q account %s nonce %s; want %q of the account, nonce 5", op.Kind, op.Standard, op.Account, op.Nonce, tc.standard)
			}
			if got := calls(op.Call); !slices.Equal(got, approveCalls) {
				t.Errorf("calls = %q, want %q", got, approveCalls)
			}
			if tc.chain == 1 {
				if amount, _ := op.Call.Calls[0].Arg("amount"); amount.Human != "unlimited USDC" {
					t.Errorf("amount = %q, want unlimited USDC: labels follow the request's chain", amount.Human)
				}
			}
			switch {
			case tc.factory == "" && op.Factory != nil && op.Factory.Label != "":
				t.Errorf("factory = %v, want none or an unknown one", op.Factory)
			case tc.factory != "" && (op.Factory == nil || op.Factory.Label != tc.factory):
				t.Errorf("factory = %v, want %q", op.Factory, tc.factory)
			}
			if tc.hashed == (op.Hash == common.Hash{}) {
				t.Errorf("hash = %s, want computed: %v", op.Hash.Hex(), tc.hashed)
			}
			if tc.notes == nil && len(op.Notes) > 0 {
				t.Errorf("notes = %q, want none", op.Notes)
			}
			for _, n := range tc.notes {
				if !hasNote(op, n) {
					t.Errorf("no note with %q in %q", n, op.Notes)
				}
			}
			unread := op.Unread()
			if tc.unread == nil && len(unread) > 0 {
				t.Errorf("unread = %q, want none", unread)
			}
			for _, u := range tc.unread {
				if !slices.ContainsFunc(unread, func(s string) bool { return strings.Contains(s, u) }) {
					t.Errorf("no unread part with %q in %q", u, unread)
				}
			}
		})
	}
}

// TestUserOpHashForms: the same operation hashes differently per entry
// point, and the v0.7 keys in both spellings hash alike.
func TestUserOpHashForms(t *testing.T) {
	hash := func(params []json.RawMessage) common.Hash {
		op, err := ParseUserOperation(params, nil, 1)
		if err != nil {
			t.Fatal(err)
		}
		return op.Hash
	}
	pm := map[string]any{"paymaster": attacker.Hex(), "paymasterVerificationGasLimit": "0x10", "paymasterData": "0x01"}
	pmAlt := map[string]any{"paymaster": attacker.Hex(), "paymasterValidationGasLimit": "0x10", "paymasterData": "0x01"}
	v7, v8 := hash(userOpRequest(t, entryPoint7, "0.7", pm)), hash(userOpRequest(t, entryPoint8, "0.7", pm))
	if v7 == v8 {
		t.Error("v0.7 and v0.8 hash alike; v0.8 is EIP-712")
	}
	if alt := hash(userOpRequest(t, entryPoint7, "0.7", pmAlt)); alt != v7 {
		t.Errorf("paymasterValidationGasLimit hashes to %s, paymasterVerificationGasLimit to %s", alt.Hex(), v7.Hex())
	}
	nullPaymaster := hash(userOpRequest(t, entryPoint7, "0.7", map[string]any{"paymaster": nil, "factory": nil}))
	if plain := hash(userOpRequest(t, entryPoint7, "0.7", nil)); nullPaymaster != plain {
		t.Error("null optional fields hash differently from absent ones")
	}
}

func TestParseUserOperationRefuses(t *testing.T) {
	ep6, _ := json.Marshal(entryPoint6.Hex())
	for _, tc := range []struct {
		name string
		have []json.RawMessage
		want string
	}{
		{"no params", nil, `account: eth_sendUserOperation takes [userOp, entryPoint]; have 0 params`},
		{"entry point a number", []json.RawMessage{[]byte(`{}`), []byte(`7`)}, `account: the entry point (params[1]) is a number, not an address string`},
		{"entry point with a bad checksum", []json.RawMessage{[]byte(`{}`), []byte(`"0x5ff137D4b0FDCD49DcA30c7CF57E578a026d2789"`)}, `account: entry point: 0x5ff137D4b0FDCD49DcA30c7CF57E578a026d2789 has a bad EIP-55 checksum`},
		{"userOp a string", []json.RawMessage{[]byte(`"op"`), ep6}, `account: userOp is not a JSON object`},
		{"sender missing", userOpRequest(t, entryPoint7, "0.7", map[string]any{"sender": nil}), `account: userOp field "sender" is missing`},
		{"callData odd hex", userOpRequest(t, entryPoint7, "0.7", map[string]any{"callData": "0x123"}), `account: userOp field "callData": not 0x-prefixed hex of even length`},
		{"nonce a number", userOpRequest(t, entryPoint7, "0.7", map[string]any{"nonce": 5}), `account: userOp field "nonce": want a 0x hex quantity string, have a number`},
		{"nonce decimal", userOpRequest(t, entryPoint7, "0.7", map[string]any{"nonce": "5"}), `account: userOp field "nonce": "5" is not a 0x hex quantity`},
		{"gas past 128 bits", userOpRequest(t, entryPoint7, "0.7", map[string]any{"callGasLimit": "0x1" + strings.Repeat("0", 32)}), `account: userOp field "callGasLimit": 0x1` + strings.Repeat("0", 32) + ` does not fit in 128 bits`},
		{"mixed forms", userOpRequest(t, unknown, "0.6", map[string]any{"paymaster": attacker.Hex()}), `account: userOp mixes v0.6 fields (initCode, paymasterAndData) with v0.7 ones (paymaster)`},
		{"v0.7 fields to v0.6", userOpRequest(t, entryPoint6, "0.7", map[string]any{"factory": unknown.Hex()}), `account: userOp has v0.7 fields (factory), but the entry point is v0.6`},
		{"v0.6 fields to v0.8", userOpRequest(t, entryPoint8, "0.6", nil), `account: userOp has v0.6 fields (initCode, paymasterAndData), but the entry point is v0.8`},
		{"v0.6 without initCode", userOpRequest(t, entryPoint6, "0.6", map[string]any{"initCode": nil}), `account: userOp field "initCode" is missing`},
		{"duplicate key", []json.RawMessage{[]byte(`{"sender":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","sender":"0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"}`), ep6}, `account: userOp: JSON key "sender" appears twice`},
		{"case variant", userOpRequest(t, entryPoint7, "0.7", map[string]any{"CallData": "0x"}), `account: userOp: JSON key "CallData" is "callData" in another case`},
		{"paymasterData alone", userOpRequest(t, entryPoint7, "0.7", map[string]any{"paymasterData": "0x01"}), `account: userOp field "paymasterData": present without a paymaster`},
		{"both gas names", userOpRequest(t, entryPoint7, "0.7", map[string]any{"paymaster": attacker.Hex(), "paymasterVerificationGasLimit": "0x1", "paymasterValidationGasLimit": "0x1"}), `account: userOp field "paymasterValidationGasLimit": given with paymasterVerificationGasLimit`},
		{"paymasterSignature to v0.8", userOpRequest(t, entryPoint8, "0.7", map[string]any{"paymaster": attacker.Hex(), "paymasterSignature": "0x01"}), `account: userOp field "paymasterSignature": only EntryPoint v0.9 takes a paymaster signature`},
		{"factoryData alone", userOpRequest(t, entryPoint7, "0.7", map[string]any{"factoryData": "0x01"}), `account: userOp field "factoryData": present without a factory`},
		{"factory too short", userOpRequest(t, entryPoint7, "0.7", map[string]any{"factory": "0x1234"}), `account: userOp field "factory": "0x1234" is not a 0x-prefixed 20-byte address`},
		{"authorization without address", userOpRequest(t, entryPoint8, "0.7", map[string]any{"eip7702Auth": map[string]string{"chainId": "0x1"}}), `account: userOp eip7702Auth field "address" is missing`},
		{"v0.9 signature length past the data", userOpRequest(t, common.HexToAddress("0x433709009B8330FDa32311DF1C2AFA402eD8D009"), "0.7", map[string]any{
			"paymaster": attacker.Hex(), "paymasterData": "0x00ff22e325a297439656"}), `account: userOp field "paymasterData": ends with the v0.9 paymaster-signature magic, but its length field claims more bytes than there are`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			op, err := ParseUserOperation(tc.have, nil, 1)
			if err == nil {
				t.Fatalf("ParseUserOperation = %+v, want an error", op)
			}
			if !strings.HasPrefix(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error = %q, want one line starting %q", err, tc.want)
			}
		})
	}
}

// TestV09PaymasterSignature: a v0.9 paymaster signature is left out of
// the hash and of paymasterData, however it arrives.
func TestV09PaymasterSignature(t *testing.T) {
	ep9 := common.HexToAddress("0x433709009B8330FDa32311DF1C2AFA402eD8D009")
	sig := "cafebabe"
	separate := userOpRequest(t, ep9, "0.7", map[string]any{"paymaster": attacker.Hex(), "paymasterData": "0xdeadbeef", "paymasterSignature": "0x" + sig})
	inline := userOpRequest(t, ep9, "0.7", map[string]any{"paymaster": attacker.Hex(), "paymasterData": "0xdeadbeef" + sig + "0004" + "22e325a297439656"})
	other := userOpRequest(t, ep9, "0.7", map[string]any{"paymaster": attacker.Hex(), "paymasterData": "0xdeadbeef", "paymasterSignature": "0x0102030405"})
	var hashes []common.Hash
	for _, params := range [][]json.RawMessage{separate, inline, other} {
		op, err := ParseUserOperation(params, nil, 1)
		if err != nil {
			t.Fatal(err)
		}
		if hexutil.Encode(op.PaymasterData) != "0xdeadbeef" || !hasNote(op, "the paymaster adds its own signature") {
			t.Errorf("paymasterData %s notes %q, want 0xdeadbeef and a note on the signature", op.PaymasterData, op.Notes)
		}
		hashes = append(hashes, op.Hash)
	}
	if hashes[0] != hashes[1] || hashes[0] != hashes[2] {
		t.Errorf("hashes %v, want one: the paymaster's signature is not signed by the account", hashes)
	}
}

// TestUnreadCalls: calls the decoder could not read are unread parts.
func TestUnreadCalls(t *testing.T) {
	params := userOpRequest(t, entryPoint7, "0.7", map[string]any{
		"callData": hexOf(pack(t, "execute(address,uint256,bytes)", unknown, new(big.Int), []byte{0xde, 0xad, 0xbe, 0xef, 1}))})
	op, err := ParseUserOperation(params, nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := op.Unread(); len(got) != 1 || !strings.HasPrefix(got[0], "op.call.calls[0]: unknown function selector 0xdeadbeef") {
		t.Errorf("Unread = %q, want the inner call's unknown selector", got)
	}
}

// TestExecuteUserOpPrefix: an operation whose callData starts with
// IAccountExecute's executeUserOp selector runs what follows it: that is
// the call judged.
func TestExecuteUserOpPrefix(t *testing.T) {
	approve := common.FromHex("0x095ea7b30000000000000000000000003c44cdddb6a900fa2b585dd299e03d12fa4293bc" + strings.Repeat("ff", 32))
	op := &Op{}
	inner := executeUserOpInner(op, append(append([]byte{}, executeUserOpSelector...), approve...))
	if !bytes.Equal(inner, approve) || len(op.Notes) != 1 {
		t.Errorf("inner %x, notes %v; want the approve and one note", inner, op.Notes)
	}
	if plain := executeUserOpInner(&Op{}, approve); !bytes.Equal(plain, approve) {
		t.Errorf("a plain callData changed: %x", plain)
	}
}
