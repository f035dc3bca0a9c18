package tx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"reflect"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/holiman/uint256"

	"github.com/txguard/txguard/decode/clip"
	"github.com/txguard/txguard/decode/jsonkey"
	"github.com/txguard/txguard/decode/label"
)

// request is the eth_sendTransaction / eth_signTransaction params object.
// Quantities are read as 0x hex strings and as JSON numbers; decimal strings
// are refused, since wallets disagree on them.
type request struct {
	From                 *string                      `json:"from"`
	To                   *string                      `json:"to"`
	Value                *quantity                    `json:"value"`
	Data                 *string                      `json:"data"`
	Input                *string                      `json:"input"`
	Gas                  *quantity                    `json:"gas"`
	GasLimit             *quantity                    `json:"gasLimit"` // ethers.js spelling
	GasPrice             *quantity                    `json:"gasPrice"`
	MaxFeePerGas         *quantity                    `json:"maxFeePerGas"`
	MaxPriorityFeePerGas *quantity                    `json:"maxPriorityFeePerGas"`
	MaxFeePerBlobGas     *quantity                    `json:"maxFeePerBlobGas"`
	Nonce                *quantity                    `json:"nonce"`
	ChainID              *quantity                    `json:"chainId"`
	Type                 *quantity                    `json:"type"`
	AccessList           *types.AccessList            `json:"accessList"`
	AuthorizationList    []types.SetCodeAuthorization `json:"authorizationList"`
	BlobVersionedHashes  []common.Hash                `json:"blobVersionedHashes"`
}

// quantity is an unsigned integer: a 0x hex string or a JSON number.
type quantity struct{ big.Int }

func (q *quantity) UnmarshalJSON(b []byte) error {
	s := string(b)
	// The value as messages quote it: as long as the input allows, cut.
	shown := clip.Cut(s, 80)
	base := 10
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		// JSON-RPC quantities are 0x hex. A decimal string is read as
		// decimal by ethers and as hex by MetaMask, which prefixes 0x:
		// "250000000000000000" is 0.25 ETH to one and 682.5 ETH to the
		// other. Refused rather than guessed.
		if !strings.HasPrefix(s, "0x") && !strings.HasPrefix(s, "0X") {
			if s != "" && strings.Trim(s, "0123456789") == "" {
				return fmt.Errorf("%s is a decimal string: quantities are 0x hex, and wallets read such strings differently (MetaMask as hex)", shown)
			}
			return fmt.Errorf("%s is not a quantity: quantities are 0x hex", shown)
		}
		s, base = s[2:], 16
		if s == "" || strings.ContainsFunc(s, func(r rune) bool { return !strings.ContainsRune("0123456789abcdefABCDEF", r) }) {
			return fmt.Errorf("%s is not 0x hex", shown)
		}
	}
	if _, ok := q.SetString(s, base); !ok || q.Sign() < 0 {
		return fmt.Errorf("%s is not an unsigned integer", shown)
	}
	if q.BitLen() > 256 {
		return fmt.Errorf("%s does not fit in 256 bits", shown)
	}
	return nil
}

func (q *quantity) big() *big.Int {
	if q == nil {
		return nil
	}
	return &q.Int
}

func (q *quantity) u256() *uint256.Int {
	if q == nil {
		return new(uint256.Int)
	}
	return uint256.MustFromBig(&q.Int)
}

func (q *quantity) uint64(field string) (uint64, error) {
	if q == nil {
		return 0, nil
	}
	if !q.IsUint64() {
		return 0, fmt.Errorf("tx: request field %q: %s does not fit in 64 bits", field, q.String())
	}
	return q.Uint64(), nil
}

// requestKeys are the keys a request may spell only one way: encoding/json
// would read "To" or "DATA" as the field, a wallet would not.
var requestKeys = append(jsonTags(reflect.TypeFor[request]()),
	"address", "storageKeys", // accessList entries
	"chainId", "address", "nonce", "yParity", "r", "s", "v") // authorizationList entries

func jsonTags(t reflect.Type) []string {
	var tags []string
	for f := range t.Fields() {
		tags = append(tags, strings.Split(f.Tag.Get("json"), ",")[0])
	}
	return tags
}

// DecodeRequest decodes a transaction request object.
func DecodeRequest(b []byte, o Options) (*Tx, error) {
	if err := jsonkey.Check(b, requestKeys...); err != nil {
		return nil, fmt.Errorf("tx: request: %v", err)
	}
	// A key txguard does not read may be one a wallet or SDK acts on
	// (zkSync's customData, a receipt's fields): refused, not ignored.
	var keys map[string]json.RawMessage
	if json.Unmarshal(b, &keys) == nil {
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			if !slices.Contains(requestKeys, k) {
				return nil, fmt.Errorf("tx: request key %s is not a transaction field txguard reads; a wallet or SDK might act on it, so the request is refused", jsonkey.Quote(k))
			}
		}
	}
	var r request
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&r); err != nil {
		return nil, requestError(err, keys)
	}
	return r.toTx(o)
}

// requestError names the field a decoding error is about, in the form
// the other request errors have: request field "value": ….
func requestError(err error, keys map[string]json.RawMessage) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return fmt.Errorf("tx: request field %q: want %s, have JSON %s", te.Field, te.Type, te.Value)
	}
	// A field's own reader (a quantity's) says what is wrong but not
	// where: the first key that fails alone is where. Only on this error
	// path, and linear in the input.
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		one, _ := json.Marshal(map[string]json.RawMessage{k: keys[k]})
		dec := json.NewDecoder(bytes.NewReader(one))
		dec.UseNumber()
		if dec.Decode(new(request)) != nil {
			return fmt.Errorf("tx: request field %q: %v", k, err)
		}
	}
	return fmt.Errorf("tx: request: %v", err)
}

func (r *request) toTx(o Options) (*Tx, error) {
	data, err := r.data()
	if err != nil {
		return nil, err
	}
	if (r.To == nil || *r.To == "") && len(data) == 0 {
		return nil, errors.New(`tx: request has neither "to" nor "data": there is nothing to sign`)
	}
	var to *common.Address
	if r.To != nil && *r.To != "" {
		a, err := address("to", *r.To)
		if err != nil {
			return nil, err
		}
		to = &a
	}
	gasQ := r.Gas
	if gasQ == nil {
		gasQ = r.GasLimit
	}
	gas, err := gasQ.uint64("gas")
	if err != nil {
		return nil, err
	}
	nonce, err := r.Nonce.uint64("nonce")
	if err != nil {
		return nil, err
	}
	typ, err := r.txType()
	if err != nil {
		return nil, err
	}
	chain := r.ChainID.big()
	var access types.AccessList
	if r.AccessList != nil {
		access = *r.AccessList
	}
	var inner types.TxData
	switch typ {
	case types.LegacyTxType:
		inner = &types.LegacyTx{Nonce: nonce, GasPrice: orZero(r.GasPrice), Gas: gas, To: to, Value: orZero(r.Value), Data: data}
	case types.AccessListTxType:
		inner = &types.AccessListTx{ChainID: orZero(r.ChainID), Nonce: nonce, GasPrice: orZero(r.GasPrice), Gas: gas, To: to, Value: orZero(r.Value), Data: data, AccessList: access}
	case types.DynamicFeeTxType:
		inner = &types.DynamicFeeTx{ChainID: orZero(r.ChainID), Nonce: nonce, GasTipCap: orZero(r.MaxPriorityFeePerGas), GasFeeCap: orZero(r.MaxFeePerGas), Gas: gas, To: to, Value: orZero(r.Value), Data: data, AccessList: access}
	case types.BlobTxType, types.SetCodeTxType:
		if to == nil {
			return nil, fmt.Errorf("tx: request: a %s transaction needs a \"to\" address", TypeName(typ))
		}
		if typ == types.BlobTxType {
			inner = &types.BlobTx{ChainID: r.ChainID.u256(), Nonce: nonce, GasTipCap: r.MaxPriorityFeePerGas.u256(), GasFeeCap: r.MaxFeePerGas.u256(), Gas: gas, To: *to, Value: r.Value.u256(), Data: data, AccessList: access, BlobFeeCap: r.MaxFeePerBlobGas.u256(), BlobHashes: r.BlobVersionedHashes}
		} else {
			inner = &types.SetCodeTx{ChainID: r.ChainID.u256(), Nonce: nonce, GasTipCap: r.MaxPriorityFeePerGas.u256(), GasFeeCap: r.MaxFeePerGas.u256(), Gas: gas, To: *to, Value: r.Value.u256(), Data: data, AccessList: access, AuthList: r.AuthorizationList}
		}
	}
	gtx := types.NewTx(inner)
	if chain == nil && o.Chain != 0 {
		// The request names no chain: the user's --chain is the best guess
		// for labels, but it is not written into the transaction.
		chain = new(big.Int).SetUint64(o.Chain)
	}
	t := describe(gtx, chain, o)
	t.Source = SourceRequest
	t.Replayable = false
	if r.ChainID == nil {
		t.ChainID, t.ChainName = nil, ""
	}
	if r.Nonce == nil {
		t.Nonce = nil
	}
	if gasQ == nil {
		t.Gas = nil
	}
	t.GasPrice = keep(t.GasPrice, r.GasPrice)
	t.MaxFeePerGas = keep(t.MaxFeePerGas, r.MaxFeePerGas)
	t.MaxPriorityFeePerGas = keep(t.MaxPriorityFeePerGas, r.MaxPriorityFeePerGas)
	t.MaxFeePerBlobGas = keep(t.MaxFeePerBlobGas, r.MaxFeePerBlobGas)
	if r.From != nil && *r.From != "" {
		from, err := address("from", *r.From)
		if err != nil {
			return nil, err
		}
		a := o.labeler(chain).Addr(from)
		t.From, t.FromSource = &a, "request"
	}
	// A request the wallet will still fill in has no signing hash yet, and
	// gas rules cannot be checked without a gas limit.
	if r.ChainID != nil && r.Nonce != nil && gasQ != nil {
		if signer, err := signerFor(gtx, r.ChainID.big()); err == nil {
			sh := signer.Hash(gtx)
			t.SigningHash = &sh
		}
	}
	if gasQ != nil {
		t.Problems = check(gtx, chain, t.amounts)
	}
	return t, nil
}

func (r *request) data() ([]byte, error) {
	var data []byte
	for _, f := range []struct {
		name string
		v    *string
	}{{"data", r.Data}, {"input", r.Input}} {
		if f.v == nil {
			continue
		}
		b, err := hexutil.Decode(*f.v)
		if *f.v == "" {
			b, err = nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("tx: request field %q: %v", f.name, err)
		}
		if data != nil && !bytes.Equal(data, b) {
			return nil, errors.New("tx: request has both \"data\" and \"input\", and they differ")
		}
		data = b
	}
	return data, nil
}

// txType is the request's type, or the one its fee fields imply.
func (r *request) txType() (uint8, error) {
	if r.Type != nil {
		if !r.Type.IsUint64() || r.Type.Uint64() > types.SetCodeTxType {
			return 0, fmt.Errorf("tx: request field \"type\": %s is not a known transaction type (0-4)", r.Type.String())
		}
		return uint8(r.Type.Uint64()), nil
	}
	switch {
	case r.AuthorizationList != nil:
		return types.SetCodeTxType, nil
	case r.BlobVersionedHashes != nil || r.MaxFeePerBlobGas != nil:
		return types.BlobTxType, nil
	case r.MaxFeePerGas != nil || r.MaxPriorityFeePerGas != nil:
		return types.DynamicFeeTxType, nil
	case r.GasPrice != nil && r.AccessList != nil:
		return types.AccessListTxType, nil
	case r.GasPrice != nil:
		return types.LegacyTxType, nil
	}
	// Wallets fill in EIP-1559 fees when the dapp leaves them out.
	return types.DynamicFeeTxType, nil
}

func address(field, s string) (common.Address, error) {
	a, err := label.ParseAddress(s)
	if err != nil {
		return a, fmt.Errorf("tx: request field %q: %v", field, err)
	}
	return a, nil
}

func orZero(q *quantity) *big.Int {
	if q == nil {
		return new(big.Int)
	}
	return &q.Int
}

// keep returns w when the request set the field, else nil.
func keep(w *Wei, q *quantity) *Wei {
	if q == nil {
		return nil
	}
	return w
}
