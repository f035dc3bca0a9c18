package account

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/typeddata"
)

// checkOutcome holds what every parser here promises, whatever the input:
// an error is one line that starts with "account: "; an Op has its call at
// CallPath and an output that grows at most linearly with the input.
func checkOutcome(t *testing.T, input int, op *Op, err error) {
	t.Helper()
	if err != nil {
		msg := err.Error()
		if !strings.HasPrefix(msg, "account: ") || strings.ContainsAny(msg, "\n\r") {
			t.Fatalf("error %q: want one line starting \"account: \"", msg)
		}
		// Keys a duplicate names are echoed, escaped: at most a few
		// times the input.
		if len(msg) > 1024+6*input {
			t.Fatalf("error of %d bytes for %d bytes of input", len(msg), input)
		}
		if op != nil {
			t.Fatal("an Op with an error")
		}
		return
	}
	if op == nil || op.Call == nil || op.Call.Path != CallPath {
		t.Fatalf("op %+v: want a call at %s", op, CallPath)
	}
	b, err := json.Marshal(op)
	if err != nil {
		t.Fatal(err)
	}
	// The call decoder's budget is linear in the calldata (calldata
	// package, budget.go); everything else is a handful of fields.
	if limit := 256*input + 1<<20; len(b) > limit {
		t.Fatalf("%d bytes of output for %d bytes of input (limit %d)", len(b), input, limit)
	}
	if n := len(op.Notes); n > 32 {
		t.Fatalf("%d notes", n)
	}
	if n := len(op.Unread()); n > maxUnreadCalls+4 {
		t.Fatalf("%d unread parts", n)
	}
}

func FuzzParseUserOperation(f *testing.F) {
	ep9 := common.HexToAddress("0x433709009B8330FDa32311DF1C2AFA402eD8D009")
	entryPoints := []common.Address{entryPoint6, entryPoint7, entryPoint8, ep9, unknown}
	for i, form := range []string{"0.6", "0.7", "0.7", "0.7", "0.6"} {
		f.Add([]byte(userOpRequest(f, entryPoints[i], form, nil)[0]), uint8(i), uint64(1))
	}
	f.Add([]byte(userOpRequest(f, entryPoint8, "0.7", map[string]any{"factory": "0x7702", "factoryData": "0x01",
		"eip7702Auth": map[string]string{"address": unknown.Hex()}})[0]), uint8(2), uint64(8453))
	f.Add([]byte(userOpRequest(f, ep9, "0.7", map[string]any{"paymaster": attacker.Hex(), "paymasterData": "0xdeadbeef0000" + "22e325a297439656",
		"paymasterSignature": "0x01"})[0]), uint8(3), uint64(1))
	f.Add([]byte(userOpRequest(f, entryPoint7, "0.7", map[string]any{"factory": unknown.Hex(), "factoryData": "0x01",
		"paymaster": attacker.Hex(), "paymasterValidationGasLimit": "0x1", "paymasterPostOpGasLimit": "0x1", "paymasterData": "0x02"})[0]), uint8(1), uint64(1))
	f.Add([]byte(userOpRequest(f, entryPoint6, "0.6", map[string]any{"initCode": "0x7702", "paymasterAndData": "0x" + strings.Repeat("ab", 25)})[0]), uint8(0), uint64(137))
	f.Add([]byte(`{"sender":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","sender":"0x0"}`), uint8(0), uint64(0))
	f.Add([]byte(`[`), uint8(4), uint64(1))
	d := calldata.New(nil)
	f.Fuzz(func(t *testing.T, userOp []byte, ep uint8, chain uint64) {
		epJSON, _ := json.Marshal(entryPoints[int(ep)%len(entryPoints)].Hex())
		op, err := ParseUserOperation([]json.RawMessage{userOp, epJSON}, d, chain)
		checkOutcome(t, len(userOp), op, err)
		if err == nil && (op.Kind != KindUserOp || chain == 0 && op.Hash != (common.Hash{})) {
			t.Fatalf("kind %s hash %s on chain %d", op.Kind, op.Hash.Hex(), chain)
		}
	})
}

func FuzzParseSendCalls(f *testing.F) {
	f.Add([]byte(`{"version":"2.0.0","from":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","chainId":"0x1","atomicRequired":true,` +
		`"calls":[{"to":"0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48","data":"0x095ea7b30000000000000000000000003c44cdddb6a900fa2b585dd299e03d12fa4293bcffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"},` +
		`{"data":"0x6080","value":"0x1"},{"to":"0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC","value":"0xde0b6b3a7640000"}]}`))
	f.Add([]byte(`{"version":"1.0","chainId":"0x2105","calls":[{}],"capabilities":{"paymasterService":{"url":"x"}}}`))
	f.Add([]byte(`{"version":"2.0.0","chainId":"0x1","calls":[{"To":"0x0"}]}`))
	f.Add([]byte(`{}`))
	d := calldata.New(nil)
	f.Fuzz(func(t *testing.T, req []byte) {
		op, err := ParseSendCalls([]json.RawMessage{req}, d)
		checkOutcome(t, len(req), op, err)
		if err == nil && (op.Kind != KindCalls || op.Hash != (common.Hash{})) {
			t.Fatalf("kind %s hash %s", op.Kind, op.Hash.Hex())
		}
	})
}

// FuzzFromTypedData: typed data that parses is read as an operation, or
// left unread, never an error; an operation signs the typed data's digest.
func FuzzFromTypedData(f *testing.F) {
	f.Add(safeTxRequest(f, safeTxIn{to: multiSend, operation: 1, data: pack(f, "multiSend(bytes)", multiSendTx(0, usdc, 0, approveMax(f, attacker)))}))
	f.Add(safeTxRequest(f, safeTxIn{to: usdc, gasPrice: 1, gasToken: usdc}))
	f.Add(typedJSON(f, "PackedUserOperation",
		[]member{{"name", "string"}, {"version", "string"}, {"chainId", "uint256"}, {"verifyingContract", "address"}},
		packedTypes, map[string]any{"name": "ERC4337", "version": "1", "chainId": 1, "verifyingContract": entryPoint8.Hex()},
		packedMessage(f, []byte{0xb6, 0x1d, 0x27, 0xf6})))
	f.Fuzz(func(t *testing.T, data []byte) {
		td, err := typeddata.Parse(data, nil)
		if err != nil {
			return
		}
		op, err := FromTypedData(td, nil)
		if err != nil {
			t.Fatalf("FromTypedData: %v", err)
		}
		if op == nil {
			return
		}
		checkOutcome(t, len(data), op, nil)
		if op.Hash != td.SigningHash {
			t.Fatalf("hash %s, typed data digest %s", op.Hash.Hex(), td.SigningHash.Hex())
		}
	})
}
