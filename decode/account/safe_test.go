package account

import (
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

var (
	safeDomainTypes = []member{{"chainId", "uint256"}, {"verifyingContract", "address"}}
	safeTxTypes     = []member{{"to", "address"}, {"value", "uint256"}, {"data", "bytes"}, {"operation", "uint8"},
		{"safeTxGas", "uint256"}, {"baseGas", "uint256"}, {"gasPrice", "uint256"}, {"gasToken", "address"},
		{"refundReceiver", "address"}, {"nonce", "uint256"}}
)

// safeTx is a SafeTx's message; zero fields are zero.
type safeTxIn struct {
	to             common.Address
	value          int64
	data           []byte
	operation      int
	gasPrice       int64
	gasToken       common.Address
	refundReceiver common.Address
}

// safeTxRequest is the SafeTx typed data a Safe{Wallet} owner is asked to
// sign for safeAddr on mainnet.
func safeTxRequest(t testing.TB, tx safeTxIn) []byte {
	return typedJSON(t, "SafeTx", safeDomainTypes, safeTxTypes,
		map[string]any{"chainId": 1, "verifyingContract": safeAddr.Hex()},
		map[string]any{"to": tx.to.Hex(), "value": big.NewInt(tx.value).String(), "data": hexOf(tx.data),
			"operation": tx.operation, "safeTxGas": "0", "baseGas": "0", "gasPrice": big.NewInt(tx.gasPrice).String(),
			"gasToken": tx.gasToken.Hex(), "refundReceiver": tx.refundReceiver.Hex(), "nonce": "42"})
}

func TestSafeTx(t *testing.T) {
	transfer := pack(t, "transfer(address,uint256)", attacker, big.NewInt(1_500_000_000))
	for _, tc := range []struct {
		name  string
		have  safeTxIn
		calls []string // path name [delegatecall]
		notes []string // substrings, each in some note; nil: no notes at all
	}{
		{
			name:  "honest USDC transfer",
			have:  safeTxIn{to: usdc, data: transfer},
			calls: []string{"op.call execTransaction", "op.call.calls[0] transfer"},
		},
		{
			// Bybit, February 2025: the owners signed a DELEGATECALL to a
			// contract that replaced the Safe's implementation.
			name:  "delegatecall to an unknown contract",
			have:  safeTxIn{to: unknown, data: transfer, operation: 1},
			calls: []string{"op.call execTransaction", "op.call.calls[0] transfer [delegatecall]"},
			notes: []string{"operation 1: DELEGATECALL: the Safe runs the code of " + unknown.Hex() + " (unknown)"},
		},
		{
			name:  "addOwnerWithThreshold 1 on the Safe itself",
			have:  safeTxIn{to: safeAddr, data: pack(t, "addOwnerWithThreshold(address,uint256)", attacker, big.NewInt(1))},
			calls: []string{"op.call execTransaction", "op.call.calls[0] addOwnerWithThreshold"},
			notes: []string{"the Safe calls itself (addOwnerWithThreshold)"},
		},
		{
			name:  "enableModule",
			have:  safeTxIn{to: safeAddr, data: pack(t, "enableModule(address)", unknown)},
			calls: []string{"op.call execTransaction", "op.call.calls[0] enableModule"},
			notes: []string{"the Safe calls itself (enableModule)"},
		},
		{
			name:  "setGuard",
			have:  safeTxIn{to: safeAddr, data: pack(t, "setGuard(address)", unknown)},
			calls: []string{"op.call execTransaction", "op.call.calls[0] setGuard"},
			notes: []string{"the Safe calls itself (setGuard)"},
		},
		{
			name: "MultiSend delegatecall hiding an unlimited approve",
			have: safeTxIn{to: multiSend, operation: 1, data: pack(t, "multiSend(bytes)",
				append(multiSendTx(0, usdc, 0, transfer), multiSendTx(0, usdc, 0, approveMax(t, attacker))...))},
			calls: []string{"op.call execTransaction", "op.call.calls[0] multiSend [delegatecall]",
				"op.call.calls[0].calls[0] transfer", "op.call.calls[0].calls[1] approve"},
			notes: []string{"operation 1: DELEGATECALL: the Safe runs the code of " + multiSend.Hex() + " (Safe MultiSend 1.4.1)"},
		},
		{
			name:  "gas refund in a token to an unknown receiver",
			have:  safeTxIn{to: usdc, data: transfer, gasPrice: 1_000_000, gasToken: usdc, refundReceiver: attacker},
			calls: []string{"op.call execTransaction", "op.call.calls[0] transfer"},
			notes: []string{"gas refund in a token: the Safe pays (gas used + baseGas 0) × gasPrice 1000000 of " + usdc.Hex() + " (USDCoin (USDC)) to " + attacker.Hex() + " (unknown)"},
		},
		{
			name:  "gas refund in ETH to whoever submits",
			have:  safeTxIn{to: usdc, data: transfer, gasPrice: 1},
			calls: []string{"op.call execTransaction", "op.call.calls[0] transfer"},
			notes: []string{"gas refund in the native currency", "whoever submits the transaction (tx.origin)"},
		},
		{
			name:  "operation 2 on a Safe 1.3.0+",
			have:  safeTxIn{to: common.Address{}, data: []byte{0x60, 0x00}, operation: 2},
			calls: []string{"op.call execTransaction", "op.call.calls[0] "},
			notes: []string{"operation 2 is neither a call (0) nor a DELEGATECALL (1)"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			td := parseTyped(t, safeTxRequest(t, tc.have))
			op, err := FromTypedData(td, decoder())
			if err != nil || op == nil {
				t.Fatalf("FromTypedData = %v, %v", op, err)
			}
			if op.Kind != KindSafeTx || op.Account.Address != safeAddr || op.Hash != td.SigningHash ||
				op.ChainID != "1" || op.Nonce != "42" || op.Standard != "Safe 1.3.0+ (chainId in the domain)" {
				t.Errorf("op = %s %s account %s hash %s chain %s nonce %s; want safe-tx of the Safe, the typed-data digest, chain 1, nonce 42",
					op.Kind, op.Standard, op.Account, op.Hash.Hex(), op.ChainID, op.Nonce)
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
		})
	}
}

// TestSafeTxEvidence: the decoded values rules cite sit where evidence
// paths say, labelled on the domain's chain although the decoder's
// labeller names none.
func TestSafeTxEvidence(t *testing.T) {
	data := pack(t, "multiSend(bytes)", multiSendTx(0, usdc, 0, approveMax(t, attacker)))
	op, err := FromTypedData(parseTyped(t, safeTxRequest(t, safeTxIn{to: multiSend, operation: 1, data: data})), decoder())
	if err != nil {
		t.Fatal(err)
	}
	approve := op.Call.Calls[0].Calls[0]
	amount, _ := approve.Arg("amount")
	spender, _ := approve.Arg("spender")
	if approve.Path != "op.call.calls[0].calls[0]" || approve.Target.Label != "USDCoin (USDC)" || amount.Human != "unlimited USDC" || spender.Value != attacker.Hex() {
		t.Errorf("approve %s on %v: amount %q spender %s; want op.call.calls[0].calls[0] on USDC, unlimited, to the attacker",
			approve.Path, approve.Target, amount.Human, spender.Value)
	}
	if u := op.Unread(); len(u) > 0 {
		t.Errorf("Unread = %q, want everything read", u)
	}
}

// TestSafeTxVersions: each Safe version's type and domain is read, with
// its standard named; the digest is the typed data's.
func TestSafeTxVersions(t *testing.T) {
	msg := func(gas string) map[string]any {
		return map[string]any{"to": usdc.Hex(), "value": "0", "data": "0x", "operation": 0, "safeTxGas": "0",
			gas: "0", "gasPrice": "0", "gasToken": common.Address{}.Hex(), "refundReceiver": common.Address{}.Hex(), "nonce": "0"}
	}
	types := func(gas string) []member {
		out := slices.Clone(safeTxTypes)
		out[5] = member{gas, "uint256"}
		return out
	}
	legacy := []member{{"verifyingContract", "address"}}
	named := []member{{"name", "string"}, {"chainId", "uint256"}, {"verifyingContract", "address"}}
	for _, tc := range []struct {
		gas         string
		domainTypes []member
		domain      map[string]any
		want        string
		note        string
	}{
		{"dataGas", legacy, map[string]any{"verifyingContract": safeAddr.Hex()}, "Safe 0.1.0 (dataGas, no chainId in the domain)", ""},
		{"baseGas", legacy, map[string]any{"verifyingContract": safeAddr.Hex()}, "Safe 1.0.0 to 1.2.0 (no chainId in the domain)", ""},
		{"baseGas", safeDomainTypes, map[string]any{"chainId": 8453, "verifyingContract": safeAddr.Hex()}, "Safe 1.3.0+ (chainId in the domain)", ""},
		{"dataGas", safeDomainTypes, map[string]any{"chainId": 1, "verifyingContract": safeAddr.Hex()}, "Safe 0.1.0 (dataGas, no chainId in the domain)", "which no Safe version hashes"},
		{"baseGas", named, map[string]any{"name": "Safe", "chainId": 1, "verifyingContract": safeAddr.Hex()}, "Safe 1.3.0+ (chainId in the domain)", "which no Safe version hashes"},
	} {
		td := parseTyped(t, typedJSON(t, "SafeTx", tc.domainTypes, types(tc.gas), tc.domain, msg(tc.gas)))
		op, err := FromTypedData(td, nil)
		if err != nil || op == nil {
			t.Fatalf("%s %s: FromTypedData = %v, %v", tc.gas, tc.want, op, err)
		}
		if op.Standard != tc.want || op.Hash != td.SigningHash {
			t.Errorf("%s: standard %q hash %s, want %q and the digest", tc.gas, op.Standard, op.Hash.Hex(), tc.want)
		}
		if tc.note == "" && len(op.Notes) > 0 || tc.note != "" && !hasNote(op, tc.note) {
			t.Errorf("%s %s: notes %q, want %q", tc.gas, tc.want, op.Notes, tc.note)
		}
	}
}

// TestNotRead: look-alikes are left to the caller to report unread.
func TestNotRead(t *testing.T) {
	msg := map[string]any{"to": usdc.Hex(), "value": "0", "data": "0x", "operation": 0, "safeTxGas": "0",
		"baseGas": "0", "gasPrice": "0", "gasToken": common.Address{}.Hex(), "refundReceiver": common.Address{}.Hex(), "nonce": "0"}
	domain := map[string]any{"chainId": 1, "verifyingContract": safeAddr.Hex()}
	extra := append(slices.Clone(safeTxTypes), member{"deadline", "uint256"})
	withDeadline := map[string]any{"deadline": "1"}
	for k, v := range msg {
		withDeadline[k] = v
	}
	swapped := slices.Clone(safeTxTypes)
	swapped[0], swapped[1] = swapped[1], swapped[0]
	wider := slices.Clone(safeTxTypes)
	wider[3] = member{"operation", "uint256"}
	for _, tc := range []struct {
		name string
		have []byte
	}{
		{"a SafeTx with one more member", typedJSON(t, "SafeTx", safeDomainTypes, extra, domain, withDeadline)},
		{"a SafeTx with members in another order", typedJSON(t, "SafeTx", safeDomainTypes, swapped, domain, msg)},
		{"a SafeTx with another member type", typedJSON(t, "SafeTx", safeDomainTypes, wider, domain, msg)},
		{"a SafeTx without verifyingContract", typedJSON(t, "SafeTx", []member{{"chainId", "uint256"}}, safeTxTypes, map[string]any{"chainId": 1}, msg)},
		{"the same members under another name", typedJSON(t, "SafeTransaction", safeDomainTypes, safeTxTypes, domain, msg)},
		{"a PackedUserOperation outside the ERC4337 domain", typedJSON(t, "PackedUserOperation",
			[]member{{"name", "string"}, {"version", "string"}, {"chainId", "uint256"}, {"verifyingContract", "address"}},
			packedTypes, map[string]any{"name": "HybridDeleGator", "version": "1", "chainId": 1, "verifyingContract": account.Hex()},
			packedMessage(t, nil))},
		{"a Permit", typedJSON(t, "Permit", []member{{"verifyingContract", "address"}},
			[]member{{"spender", "address"}, {"value", "uint256"}}, map[string]any{"verifyingContract": usdc.Hex()},
			map[string]any{"spender": attacker.Hex(), "value": "1"})},
	} {
		op, err := FromTypedData(parseTyped(t, tc.have), nil)
		if op != nil || err != nil {
			t.Errorf("%s: FromTypedData = %+v, %v; want nil, nil", tc.name, op, err)
		}
	}
	if op, err := FromTypedData(nil, nil); op != nil || err != nil {
		t.Errorf("FromTypedData(nil) = %v, %v", op, err)
	}
}

// TestSafeOp: a Safe4337Module operation runs its callData on the Safe;
// executeUserOp opens with its operation.
func TestSafeOp(t *testing.T) {
	types := []member{{"safe", "address"}, {"nonce", "uint256"}, {"initCode", "bytes"}, {"callData", "bytes"},
		{"verificationGasLimit", "uint128"}, {"callGasLimit", "uint128"}, {"preVerificationGas", "uint256"},
		{"maxPriorityFeePerGas", "uint128"}, {"maxFeePerGas", "uint128"}, {"paymasterAndData", "bytes"},
		{"validAfter", "uint48"}, {"validUntil", "uint48"}, {"entryPoint", "address"}}
	request := func(module, ep common.Address, callData []byte, validUntil int64) []byte {
		return typedJSON(t, "SafeOp", safeDomainTypes, types,
			map[string]any{"chainId": 1, "verifyingContract": module.Hex()},
			map[string]any{"safe": safeAddr.Hex(), "nonce": "7", "initCode": "0x", "callData": hexOf(callData),
				"verificationGasLimit": "100000", "callGasLimit": "100000", "preVerificationGas": "50000",
				"maxPriorityFeePerGas": "1", "maxFeePerGas": "2", "paymasterAndData": "0x",
				"validAfter": "0", "validUntil": big.NewInt(validUntil).String(), "entryPoint": ep.Hex()})
	}
	userOp := func(operation uint8, to common.Address, data []byte) []byte {
		return pack(t, "executeUserOp(address,uint256,bytes,uint8)", to, new(big.Int), data, operation)
	}
	for _, tc := range []struct {
		name  string
		have  []byte
		calls []string
		notes []string
	}{
		{
			name:  "an approve through executeUserOp",
			have:  request(module030, entryPoint7, userOp(0, usdc, approveMax(t, attacker)), 0),
			calls: []string{"op.call executeUserOp", "op.call.calls[0] approve"},
		},
		{
			name:  "a delegatecall through executeUserOp",
			have:  request(module030, entryPoint7, userOp(1, unknown, []byte{1, 2, 3, 4}), 1767225600),
			calls: []string{"op.call executeUserOp", "op.call.calls[0]  [delegatecall]"},
			notes: []string{"executeUserOp operation 1: DELEGATECALL", "valid only until 2026-01-01 00:00:00 UTC"},
		},
		{
			name:  "callData the module refuses",
			have:  request(module030, entryPoint7, approveMax(t, attacker), 0),
			calls: []string{"op.call approve"},
			notes: []string{"callData is not executeUserOp"},
		},
		{
			name:  "an unknown module",
			have:  request(unknown, entryPoint7, userOp(0, usdc, approveMax(t, attacker)), 0),
			calls: []string{"op.call executeUserOp", "op.call.calls[0] approve"},
			notes: []string{"is not a known Safe4337Module"},
		},
		{
			name:  "the wrong entry point for the module",
			have:  request(module030, entryPoint6, userOp(0, usdc, approveMax(t, attacker)), 0),
			calls: []string{"op.call executeUserOp", "op.call.calls[0] approve"},
			notes: []string{"is not the one Safe4337Module 0.3.0 trusts"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			td := parseTyped(t, tc.have)
			op, err := FromTypedData(td, decoder())
			if err != nil || op == nil {
				t.Fatalf("FromTypedData = %v, %v", op, err)
			}
			if op.Kind != KindSafeOp || op.Account.Address != safeAddr || op.Hash != td.SigningHash || op.EntryPoint == nil ||
				op.Standard != "Safe4337Module 0.3.0 SafeOp (EntryPoint v0.7)" || op.Nonce != "7" {
				t.Errorf("op = %s %q account %s entry point %v nonce %s", op.Kind, op.Standard, op.Account, op.EntryPoint, op.Nonce)
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
		})
	}
}

var packedTypes = []member{{"sender", "address"}, {"nonce", "uint256"}, {"initCode", "bytes"}, {"callData", "bytes"},
	{"accountGasLimits", "bytes32"}, {"preVerificationGas", "uint256"}, {"gasFees", "bytes32"}, {"paymasterAndData", "bytes"}}

func packedMessage(t testing.TB, callData []byte) map[string]any {
	return map[string]any{"sender": account.Hex(), "nonce": "3", "initCode": "0x", "callData": hexOf(callData),
		"accountGasLimits":   "0x" + strings.Repeat("00", 13) + "0186a0" + strings.Repeat("00", 13) + "0186a0",
		"preVerificationGas": "50000", "gasFees": "0x" + strings.Repeat("00", 15) + "01" + strings.Repeat("00", 15) + "02",
		"paymasterAndData": "0x"}
}

// TestPackedUserOperation: EntryPoint v0.8 typed data whose callData has
// the smart account approve USDC without limit.
func TestPackedUserOperation(t *testing.T) {
	callData := pack(t, "execute(address,uint256,bytes)", usdc, new(big.Int), approveMax(t, attacker))
	td := parseTyped(t, typedJSON(t, "PackedUserOperation",
		[]member{{"name", "string"}, {"version", "string"}, {"chainId", "uint256"}, {"verifyingContract", "address"}},
		packedTypes, map[string]any{"name": "ERC4337", "version": "1", "chainId": 1, "verifyingContract": entryPoint8.Hex()},
		packedMessage(t, callData)))
	op, err := FromTypedData(td, decoder())
	if err != nil || op == nil {
		t.Fatalf("FromTypedData = %v, %v", op, err)
	}
	if op.Kind != KindUserOp || op.Account.Address != account || op.EntryPoint.Label != "ERC-4337 EntryPoint v0.8" ||
		op.Hash != td.SigningHash || op.Standard != "ERC-4337 EntryPoint v0.8 (EIP-712 PackedUserOperation)" || len(op.Notes) > 0 {
		t.Errorf("op = %s %q account %s entry point %v notes %q", op.Kind, op.Standard, op.Account, op.EntryPoint, op.Notes)
	}
	if got, want := calls(op.Call), []string{"op.call execute", "op.call.calls[0] approve"}; !slices.Equal(got, want) {
		t.Errorf("calls = %q, want %q", got, want)
	}
	if amount, _ := op.Call.Calls[0].Arg("amount"); amount.Human != "unlimited USDC" {
		t.Errorf("amount = %q, want unlimited USDC", amount.Human)
	}
}
