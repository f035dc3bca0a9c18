package decode

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"

	"github.com/txguard/txguard/decode/account"
	"github.com/txguard/txguard/decode/label"
	"github.com/txguard/txguard/decode/typeddata"
)

// The Safe Transaction Service's JSON of a multisig transaction, as a Safe
// owner copies it from the Safe app or GET /api/v1/multisig-transactions/
// (safe-global/safe-transaction-service, SafeMultisigTransactionResponse
// serializer): camelCase keys, numbers as JSON numbers (v1) or strings
// (v2), null for an empty data, gasToken or refundReceiver.
var safeServiceKeys = []string{"safe", "to", "value", "data", "operation", "safeTxGas", "baseGas", "gasPrice", "gasToken", "refundReceiver", "nonce"}

// isSafeService reports a Safe Transaction Service transaction.
func isSafeService(probe map[string]json.RawMessage) bool {
	for _, k := range []string{"safe", "to", "operation", "safeTxGas", "nonce"} {
		if probe[k] == nil {
			return false
		}
	}
	return true
}

// safeService reads it as the SafeTx it is, for the chain the user expects
// or, when none is given, for the chain (and Safe version) whose hash
// matches the safeTxHash the service sent. A safeTxHash that matches no
// reading means the JSON does not show what would be signed: refused.
func (d *decoder) safeService(probe map[string]json.RawMessage) (*Result, error) {
	msg := map[string]json.RawMessage{}
	for _, k := range safeServiceKeys {
		v := probe[k]
		switch {
		case (v == nil || string(v) == "null") && k == "data":
			v = json.RawMessage(`"0x"`)
		case (v == nil || string(v) == "null") && (k == "gasToken" || k == "refundReceiver"):
			v = json.RawMessage(`"0x0000000000000000000000000000000000000000"`)
		case v == nil:
			return nil, fmt.Errorf("decode: Safe transaction: %q is missing", k)
		}
		msg[k] = v
	}
	var safe common.Address
	if err := json.Unmarshal(probe["safe"], &safe); err != nil {
		return nil, fmt.Errorf("decode: Safe transaction: \"safe\" is not an address")
	}
	delete(msg, "safe")
	var want *common.Hash
	if h := probe["safeTxHash"]; h != nil {
		var hash common.Hash
		if err := json.Unmarshal(h, &hash); err != nil {
			return nil, fmt.Errorf("decode: Safe transaction: \"safeTxHash\" is not a 32-byte hash")
		}
		want = &hash
	}
	chains := []uint64{d.o.Chain}
	if d.o.Chain == 0 && want != nil {
		chains = append(label.ChainIDs(), 0) // 0: a Safe before 1.3.0, no chainId in its domain
		slices.Sort(chains[:len(chains)-1])
	}
	var first *Result
	for _, chain := range chains {
		r, err := d.safeServiceOn(safe, chain, msg)
		if err != nil {
			return nil, err
		}
		if want == nil || r.Op.Hash == *want {
			return r, nil
		}
		if first == nil {
			first = r
		}
	}
	return nil, fmt.Errorf("decode: Safe transaction: its safeTxHash %s is not the hash of its fields (for %s): what would be signed is not what this JSON shows", want.Hex(), chainsPhrase(d.o.Chain))
}

func chainsPhrase(chain uint64) string {
	if chain != 0 {
		return label.ChainName(chain)
	}
	return "any chain txguard knows, or none"
}

// safeServiceOn reads the transaction as SafeTx typed data of a Safe on
// chain (0: a pre-1.3.0 Safe, whose domain has no chainId).
func (d *decoder) safeServiceOn(safe common.Address, chain uint64, msg map[string]json.RawMessage) (*Result, error) {
	domain := map[string]any{"verifyingContract": safe.Hex()}
	domainType := []map[string]string{{"name": "verifyingContract", "type": "address"}}
	if chain != 0 {
		domain["chainId"] = chain
		domainType = append([]map[string]string{{"name": "chainId", "type": "uint256"}}, domainType...)
	}
	member := func(n, t string) map[string]string { return map[string]string{"name": n, "type": t} }
	td := map[string]any{
		"types": map[string]any{"EIP712Domain": domainType, "SafeTx": []map[string]string{member("to", "address"), member("value", "uint256"),
			member("data", "bytes"), member("operation", "uint8"), member("safeTxGas", "uint256"), member("baseGas", "uint256"),
			member("gasPrice", "uint256"), member("gasToken", "address"), member("refundReceiver", "address"), member("nonce", "uint256")}},
		"primaryType": "SafeTx", "domain": domain, "message": msg,
	}
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(td); err != nil {
		return nil, fmt.Errorf("decode: Safe transaction: %v", err)
	}
	lab := d.lab
	if chain != 0 {
		lab = lab.OnChain(chain)
	}
	t, err := typeddata.Parse(b.Bytes(), lab)
	if err != nil {
		return nil, fmt.Errorf("decode: Safe transaction: %v", err)
	}
	op, err := account.FromTypedData(t, d.txo.Calls.WithLabels(lab))
	if err != nil || op == nil {
		return nil, fmt.Errorf("decode: Safe transaction: not a SafeTx txguard reads (%v)", err)
	}
	return &Result{Kind: KindTypedData, Method: "Safe Transaction Service", TypedData: t, Op: op}, nil
}
