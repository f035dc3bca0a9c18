package account

import (
	"encoding/json"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// sendCalls writes wallet_sendCalls params from the request object.
func sendCalls(t testing.TB, req map[string]any) []json.RawMessage {
	t.Helper()
	b, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	return []json.RawMessage{b}
}

func TestParseSendCalls(t *testing.T) {
	swap := pack(t, "swapExactTokensForTokens(uint256,uint256,address[],address,uint256)",
		big.NewInt(1_000_000_000), big.NewInt(1), []common.Address{usdc, weth}, account, big.NewInt(1767225600))
	approveAndSwap := []map[string]any{
		{"to": usdc.Hex(), "data": hexOf(approveMax(t, v2Router))},
		{"to": v2Router.Hex(), "data": hexOf(swap), "value": "0x0"},
	}
	for _, tc := range []struct {
		name    string
		have    map[string]any
		account common.Address
		calls   []string
		notes   []string
	}{
		{
			name:    "approve and swap",
			have:    map[string]any{"version": "2.0.0", "from": account.Hex(), "chainId": "0x1", "atomicRequired": true, "calls": approveAndSwap},
			account: account,
			calls:   []string{"op.call execute", "op.call.calls[0] approve", "op.call.calls[1] swapExactTokensForTokens"},
		},
		{
			name:  "no from",
			have:  map[string]any{"version": "2.0.0", "chainId": "0x1", "atomicRequired": true, "calls": approveAndSwap},
			calls: []string{"op.call execute", "op.call.calls[0] approve", "op.call.calls[1] swapExactTokensForTokens"},
			notes: []string{`no "from": the wallet picks the account`},
		},
		{
			name: "a contract creation, not atomic, with capabilities",
			have: map[string]any{"version": "2.0.0", "from": account.Hex(), "chainId": "0x1", "atomicRequired": false,
				"capabilities": map[string]any{"paymasterService": map[string]string{"url": "https://example.invalid"}},
				"calls": []map[string]any{
					{"data": "0x6080604052", "value": "0x10"},
					{"to": usdc.Hex(), "data": hexOf(approveMax(t, attacker)), "capabilities": map[string]any{"permissions": map[string]any{}}},
				}},
			account: account,
			calls:   []string{"op.call execute", "op.call.calls[0] contract creation", "op.call.calls[1] approve"},
			notes: []string{`calls without "to" deploy a contract from their data: calls[0]`, "atomicRequired is false",
				`the batch asks the wallet for capabilities "paymasterService"`, `calls ask the wallet for capabilities "permissions"`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			op, err := ParseSendCalls(sendCalls(t, tc.have), decoder())
			if err != nil {
				t.Fatal(err)
			}
			if op.Kind != KindCalls || op.Account.Address != tc.account || op.ChainID != "1" || op.Hash != (common.Hash{}) ||
				op.Standard != `EIP-5792 wallet_sendCalls (version "2.0.0")` {
				t.Errorf("op = %s %q account %s chain %s hash %s", op.Kind, op.Standard, op.Account, op.ChainID, op.Hash.Hex())
			}
			if got := calls(op.Call); !slices.Equal(got, tc.calls) {
				t.Errorf("calls = %q, want %q", got, tc.calls)
			}
			if tc.notes == nil && len(op.Notes) > 0 {
				t.Errorf("notes = %q, want none", op.Notes)
			}
			for _, n := range tc.notes {
				if !hasNote(op, n) {
					t.Errorf("no note with %q in %q", n, op.Notes)
				}
			}
			if u := op.Unread(); len(u) > 0 {
				t.Errorf("Unread = %q, want everything read", u)
			}
		})
	}
}

// TestSendCallsEvidence: each call sits at its path with its value and
// labels of the request's chain.
func TestSendCallsEvidence(t *testing.T) {
	op, err := ParseSendCalls(sendCalls(t, map[string]any{"version": "2.0.0", "from": account.Hex(), "chainId": "0x1", "atomicRequired": true,
		"calls": []map[string]any{{"to": usdc.Hex(), "data": hexOf(approveMax(t, attacker))}, {"to": attacker.Hex(), "value": "0xde0b6b3a7640000"},
			{"data": "0x00", "value": "0x1"}}}), decoder())
	if err != nil {
		t.Fatal(err)
	}
	approve, send, create := op.Call.Calls[0], op.Call.Calls[1], op.Call.Calls[2]
	if amount, _ := approve.Arg("amount"); approve.Path != "op.call.calls[0]" || amount.Human != "unlimited USDC" {
		t.Errorf("approve at %s amount %q, want op.call.calls[0], unlimited USDC", approve.Path, amount.Human)
	}
	if send.Path != "op.call.calls[1]" || send.Target.Address != attacker || send.ValueText != "1000000000000000000" || send.Name != "transfer of native currency" {
		t.Errorf("send %s to %v value %s %q", send.Path, send.Target, send.ValueText, send.Name)
	}
	if create.Path != "op.call.calls[2]" || create.Target != nil || create.ValueText != "1" || create.Name != "contract creation" {
		t.Errorf("creation %s to %v value %s %q", create.Path, create.Target, create.ValueText, create.Name)
	}
}

func TestParseSendCallsRefuses(t *testing.T) {
	base := func(k string, v any) []json.RawMessage {
		req := map[string]any{"version": "2.0.0", "from": account.Hex(), "chainId": "0x1", "atomicRequired": true,
			"calls": []map[string]any{{"to": usdc.Hex()}}}
		if v == nil {
			delete(req, k)
		} else {
			req[k] = v
		}
		return sendCalls(t, req)
	}
	for _, tc := range []struct {
		name string
		have []json.RawMessage
		want string
	}{
		{"no params", nil, "account: wallet_sendCalls takes one object in its params; have 0 params"},
		{"not an object", []json.RawMessage{[]byte(`[1]`)}, "account: wallet_sendCalls is not a JSON object"},
		{"no version", base("version", nil), `account: wallet_sendCalls field "version" is missing`},
		{"no chainId", base("chainId", nil), `account: wallet_sendCalls field "chainId" is missing`},
		{"decimal chainId", base("chainId", "1"), `account: wallet_sendCalls field "chainId": "1" is not a 0x hex quantity`},
		{"bad from", base("from", "0x12"), `account: wallet_sendCalls field "from": "0x12" is not a 0x-prefixed 20-byte address`},
		{"atomicRequired a string", base("atomicRequired", "yes"), `account: wallet_sendCalls field "atomicRequired": want true or false, have a string`},
		{"no calls", base("calls", nil), `account: wallet_sendCalls field "calls" is missing`},
		{"empty calls", base("calls", []any{}), `account: wallet_sendCalls field "calls": the batch has no calls`},
		{"data and input", base("calls", []map[string]any{{"to": usdc.Hex(), "data": "0x", "input": "0x095ea7b3"}}), `account: wallet_sendCalls calls[0] field "input": EIP-5792 calls carry calldata in "data"`},
		{"calls an object", base("calls", map[string]any{}), `account: wallet_sendCalls field "calls": want an array of calls, have an object`},
		{"a call not an object", base("calls", []any{1}), `account: wallet_sendCalls calls[0] is not a JSON object`},
		{"a call with decimal value", base("calls", []any{map[string]any{"to": usdc.Hex(), "value": "100"}}), `account: wallet_sendCalls calls[0] field "value": "100" is not a 0x hex quantity`},
		{"a call with odd data", base("calls", []any{map[string]any{"to": usdc.Hex(), "data": "0xabc"}}), `account: wallet_sendCalls calls[0] field "data": not 0x-prefixed hex of even length`},
		{"too many calls", base("calls", make([]map[string]any, MaxCalls+1)), `account: wallet_sendCalls field "calls": 1025 calls; txguard reads at most 1024 in one batch`},
		{"duplicate key", []json.RawMessage{[]byte(`{"version":"2.0.0","chainId":"0x1","chainId":"0x2","calls":[{}]}`)}, `account: wallet_sendCalls: JSON key "chainId" appears twice`},
		{"case variant in a call", base("calls", []any{map[string]any{"To": usdc.Hex()}}), `account: wallet_sendCalls: JSON key "To" in calls[0] is "to" in another case`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			op, err := ParseSendCalls(tc.have, nil)
			if err == nil {
				t.Fatalf("ParseSendCalls = %+v, want an error", op)
			}
			if !strings.HasPrefix(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error = %q, want one line starting %q", err, tc.want)
			}
		})
	}
}

// TestSendCallsNotesBounded: what a thousand calls share is said once.
func TestSendCallsNotesBounded(t *testing.T) {
	many := make([]map[string]any, MaxCalls)
	for i := range many {
		many[i] = map[string]any{"data": "0x00", "memo": i, "capabilities": map[string]any{"x": true}}
	}
	op, err := ParseSendCalls(sendCalls(t, map[string]any{"version": "2.0.0", "chainId": "0x1", "calls": many}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(op.Notes) > 6 || !hasNote(op, "calls[7] and 1016 more") || len(op.Call.Calls) != MaxCalls {
		t.Errorf("%d notes %q, %d calls", len(op.Notes), op.Notes, len(op.Call.Calls))
	}
}
