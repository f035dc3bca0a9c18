package decode

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/txguard/txguard/decode/tx"
)

// What people paste besides the forms a wallet sends: a wallet's own
// record of a pending transaction, the params of a request without its
// envelope, and a mined or signed transaction as a node prints it. Each
// is read as the request it holds, when that is unambiguous, or refused
// with what to paste instead.

// metaMaskTx reads MetaMask's record of a pending transaction (state logs,
// the extension's console): the request is its "txParams"; the rest (id,
// time, status, origin) is MetaMask's bookkeeping, not something a wallet
// signs.
func (d *decoder) metaMaskTx(probe map[string]json.RawMessage, want []Kind) (*Result, error) {
	var err error
	p := TrimInvisible(probe["txParams"])
	if len(p) == 0 || p[0] != '{' {
		return nil, fmt.Errorf("decode: \"txParams\" is not an object: paste the transaction request it should hold")
	}
	if len(want) > 0 && want[0] != KindRequest {
		return nil, fmt.Errorf("decode: MetaMask's txParams holds a transaction request, not %s", want[0])
	}
	// The record must hold its transaction in one place: a raw
	// transaction, params or request fields beside txParams could be what
	// a wallet reads instead.
	for k := range probe {
		if !metaMaskBookkeeping[k] {
			return nil, fmt.Errorf("decode: this MetaMask record holds %q beside txParams, and a wallet could read that instead: paste txParams alone", k)
		}
	}
	if top := probe["chainId"]; top != nil {
		var req map[string]json.RawMessage
		if err := json.Unmarshal(p, &req); err != nil {
			return nil, fmt.Errorf("decode: \"txParams\" is not an object: paste the transaction request it should hold")
		}
		switch inner := req["chainId"]; {
		case inner == nil:
			// The record's chain is the transaction's: judged on it, so
			// that --chain sees a transaction for another chain.
			req["chainId"] = top
			if p, err = json.Marshal(req); err != nil {
				return nil, err
			}
		case !sameQuantity(inner, top):
			return nil, fmt.Errorf("decode: this MetaMask record says chain %s and its txParams chain %s: which one the wallet uses is not clear; paste txParams alone", top, inner)
		}
	}
	return d.bare(KindRequest, p)
}

// metaMaskBookkeeping are the keys of MetaMask's transaction record that
// are not the transaction: txParams is.
var metaMaskBookkeeping = map[string]bool{
	"txParams": true, "id": true, "time": true, "status": true, "origin": true, "chainId": true,
	"networkClientId": true, "type": true, "loadingDefaults": true, "userEditedGasLimit": true,
	"defaultGasEstimates": true, "userFeeLevel": true, "sendFlowHistory": true, "history": true,
	"securityAlertResponse": true, "verifiedOnBlockchain": true, "dappSuggestedGasFees": true,
	"originalGasEstimate": true, "simulationData": true, "gasFeeEstimates": true, "gasFeeEstimatesLoaded": true,
}

// sameQuantity: two JSON quantities (hex or decimal strings, numbers) with
// one value.
func sameQuantity(a, b json.RawMessage) bool {
	parse := func(r json.RawMessage) (*big.Int, bool) {
		var s string
		if json.Unmarshal(r, &s) != nil {
			s = string(r)
		}
		n := new(big.Int)
		if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
			return n.SetString(s[2:], 16)
		}
		return n.SetString(s, 10)
	}
	x, ok1 := parse(a)
	y, ok2 := parse(b)
	return ok1 && ok2 && x.Cmp(y) == 0
}

// params reads a JSON-RPC params array pasted without its envelope, when
// its shape says which signing method it is: [request] is
// eth_sendTransaction, ["0x<raw tx>"] eth_sendRawTransaction, [address,
// typed data] eth_signTypedData_v4, [address, 32-byte hash] eth_sign,
// [message, address] personal_sign. Anything else is refused with the
// envelope to write.
func (d *decoder) params(in []byte, want []Kind) (*Result, error) {
	var ps []json.RawMessage
	if err := json.Unmarshal(in, &ps); err != nil {
		return nil, fmt.Errorf("decode: JSON array: %v", jsonSyntax(in, err))
	}
	method := paramsMethod(ps)
	if method == "" {
		return nil, errors.New(`decode: a JSON array is read as a request's params when its shape names the method, and this one does not: paste the whole request, {"method": "…", "params": […]}`)
	}
	env := map[string]json.RawMessage{"params": in}
	env["method"], _ = json.Marshal(method)
	return d.envelope(env, want)
}

// paramsMethod is the signing method a params array's shape implies, or
// "" when it implies none or more than one.
func paramsMethod(ps []json.RawMessage) string {
	str := func(i int) (string, bool) {
		var s string
		return s, json.Unmarshal(ps[i], &s) == nil
	}
	isObject := func(i int) bool { p := TrimInvisible(ps[i]); return len(p) > 0 && p[0] == '{' }
	switch len(ps) {
	case 1:
		if isObject(0) {
			return "eth_sendTransaction"
		}
		if s, ok := str(0); ok && isHexText([]byte(s)) {
			return "eth_sendRawTransaction"
		}
	case 2:
		s0, ok0 := str(0)
		s1, ok1 := str(1)
		addr0, addr1 := ok0 && common.IsHexAddress(s0), ok1 && common.IsHexAddress(s1)
		switch {
		case addr0 && addr1:
			return "" // a message that is an address, or an address and an address: no one reading
		case addr0 && (isObject(1) || ok1 && strings.HasPrefix(strings.TrimSpace(s1), "{")):
			return "eth_signTypedData_v4"
		case addr0 && ok1 && len(s1) == 66 && isHexText([]byte(s1)):
			return "eth_sign"
		case addr1 && ok0:
			return "personal_sign"
		}
	}
	return ""
}

// signedJSON reads a signed transaction as a node or `cast tx --json`
// prints it: the fields, the signature (r, s, v or yParity) and the hash
// and sender the printer claims. The signature is checked, not dropped:
// the sender it recovers must be "from", and the transaction's hash must
// be "hash", or the fields were altered after signing (or belong to
// another transaction), and nothing about them can be trusted. The
// transaction is then judged as the raw one it encodes.
func (d *decoder) signedJSON(in []byte, probe map[string]json.RawMessage) (*Result, error) {
	var t types.Transaction
	if err := t.UnmarshalJSON(in); err != nil {
		return nil, fmt.Errorf("decode: a signed transaction in JSON (it has r and s): %v", err)
	}
	if err := legacyAgrees(&t, probe); err != nil {
		return nil, err
	}
	var signer types.Signer = types.HomesteadSigner{}
	if t.Protected() {
		signer = types.LatestSignerForChainID(t.ChainId())
	}
	sender, err := types.Sender(signer, &t)
	if err != nil {
		return nil, fmt.Errorf("decode: the transaction's signature does not recover a sender (%v): it is not validly signed", err)
	}
	if raw := probe["from"]; raw != nil {
		var from common.Address
		if err := json.Unmarshal(raw, &from); err != nil {
			return nil, fmt.Errorf("decode: \"from\" is not an address")
		}
		if from != sender {
			return nil, fmt.Errorf("decode: the signature was made by %s, but \"from\" says %s: the fields were changed after signing, or the signature is another transaction's; do not send it", sender.Hex(), from.Hex())
		}
	}
	if raw := probe["hash"]; raw != nil {
		var h common.Hash
		if err := json.Unmarshal(raw, &h); err != nil {
			return nil, fmt.Errorf("decode: \"hash\" is not a 32-byte hash")
		}
		if h != t.Hash() {
			return nil, fmt.Errorf("decode: these fields hash to %s, but \"hash\" says %s: the fields were changed after signing; do not send it", t.Hash().Hex(), h.Hex())
		}
	}
	b, err := t.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("decode: re-encode the signed transaction: %v", err)
	}
	r, err := tx.DecodeRaw(b, d.txo)
	if err != nil {
		return nil, err
	}
	return &Result{Kind: KindTx, Tx: r}, nil
}

// legacyAgrees refuses a legacy transaction whose printed fields say
// what its signature does not: go-ethereum reads a legacy transaction's
// chain and parity from v alone and ignores "chainId" and "yParity", so a
// paste could name one chain while the signature is for another (or for
// every chain).
func legacyAgrees(t *types.Transaction, probe map[string]json.RawMessage) error {
	if t.Type() != types.LegacyTxType {
		return nil // go-ethereum checks the typed ones itself
	}
	v, _, _ := t.RawSignatureValues()
	if raw := probe["chainId"]; raw != nil && string(raw) != "null" {
		want := t.ChainId()
		if !t.Protected() {
			want = new(big.Int)
		}
		var q hexutil.Big
		if err := json.Unmarshal(raw, &q); err != nil {
			return fmt.Errorf("decode: \"chainId\" is not a hex quantity")
		}
		if (*big.Int)(&q).Cmp(want) != 0 {
			if !t.Protected() {
				return fmt.Errorf("decode: \"chainId\" says %s, but the signature (v = %s) is for no chain: it can be replayed on every chain; do not send it", (*big.Int)(&q), v)
			}
			return fmt.Errorf("decode: \"chainId\" says %s, but the signature (v = %s) is for chain %s: the fields and the signature disagree; do not send it", (*big.Int)(&q), v, want)
		}
	}
	if raw := probe["yParity"]; raw != nil && string(raw) != "null" {
		var q hexutil.Big
		if err := json.Unmarshal(raw, &q); err != nil {
			return fmt.Errorf("decode: \"yParity\" is not a hex quantity")
		}
		parity := new(big.Int).Sub(v, big.NewInt(27))
		if t.Protected() {
			parity = new(big.Int).Sub(v, new(big.Int).Add(new(big.Int).Mul(t.ChainId(), big.NewInt(2)), big.NewInt(35)))
		}
		if (*big.Int)(&q).Cmp(parity) != 0 {
			return fmt.Errorf("decode: \"yParity\" says %s, but v = %s means %s: the fields and the signature disagree; do not send it", (*big.Int)(&q), v, parity)
		}
	}
	return nil
}

// isSignedJSON: an object with a signature's r and s is a signed
// transaction, not a request (a request has no signature to check).
func isSignedJSON(probe map[string]json.RawMessage) bool {
	return probe["r"] != nil && probe["s"] != nil && (probe["v"] != nil || probe["yParity"] != nil)
}
