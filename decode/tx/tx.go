package tx

import (
	"encoding/json"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/label"
)

// Where a Tx came from.
const (
	SourceRaw     = "raw"     // an RLP-encoded transaction or signing payload
	SourceRequest = "request" // an eth_sendTransaction-style JSON object
)

// Tx is one decoded transaction, whatever its type and form.
type Tx struct {
	Source   string `json:"source"`
	Type     uint8  `json:"type"`
	TypeName string `json:"typeName"`
	Signed   bool   `json:"signed"`
	// Replayable is a pre-EIP-155 legacy transaction: its signature is
	// valid on every chain.
	Replayable bool `json:"replayable,omitempty"`

	ChainID   *big.Int `json:"-"`
	ChainName string   `json:"chainName,omitempty"`
	Nonce     *uint64  `json:"nonce,omitempty"`
	// From is the recovered sender of a signed transaction, or the from
	// field of a request. FromSource says which.
	From       *label.Addr `json:"from,omitempty"`
	FromSource string      `json:"fromSource,omitempty"`
	To         *label.Addr `json:"to,omitempty"` // nil: contract creation
	Value      Wei         `json:"value"`
	Gas        *uint64     `json:"gas,omitempty"`

	GasPrice             *Wei `json:"gasPrice,omitempty"`
	MaxFeePerGas         *Wei `json:"maxFeePerGas,omitempty"`
	MaxPriorityFeePerGas *Wei `json:"maxPriorityFeePerGas,omitempty"`
	MaxFeePerBlobGas     *Wei `json:"maxFeePerBlobGas,omitempty"`

	Data           hexutil.Bytes    `json:"data"`
	AccessList     types.AccessList `json:"accessList,omitempty"`
	BlobHashes     []common.Hash    `json:"blobHashes,omitempty"`
	Sidecar        *Sidecar         `json:"sidecar,omitempty"`
	Authorizations []Authorization  `json:"authorizations,omitempty"`

	// Hash is the transaction hash of a signed transaction; SigningHash is
	// the digest a signer signs (known when the chain id is).
	Hash        *common.Hash `json:"hash,omitempty"`
	SigningHash *common.Hash `json:"signingHash,omitempty"`

	Call *calldata.Call `json:"call,omitempty"`
	// Problems are reasons this transaction is invalid although it decoded.
	Problems []string `json:"problems,omitempty"`

	// amounts are the transaction's as describe read them, for check:
	// go-ethereum's accessors copy a big.Int each time they are called.
	amounts amounts
}

type amounts struct{ value, feeCap, tipCap *big.Int }

// MarshalJSON adds the chain id as a decimal string: JSON numbers lose
// precision past 2^53 and chain ids are unbounded.
func (t *Tx) MarshalJSON() ([]byte, error) {
	type plain Tx
	var chain string
	if t.ChainID != nil {
		chain = t.ChainID.String()
	}
	return json.Marshal(struct {
		ChainID string `json:"chainId,omitempty"`
		*plain
	}{chain, (*plain)(t)})
}

// Wei is an amount of the native currency (or a fee per gas) with its
// human form: "0.5 ETH", "12 gwei".
type Wei struct {
	Int   *big.Int
	Human string
}

// MarshalJSON writes {"wei": "decimal", "human": "..."}.
func (w Wei) MarshalJSON() ([]byte, error) {
	s := "0"
	if w.Int != nil {
		s = w.Int.String()
	}
	return json.Marshal(struct {
		Wei   string `json:"wei"`
		Human string `json:"human"`
	}{s, w.Human})
}

// Sidecar describes the blobs of a network-form blob transaction.
type Sidecar struct {
	Version int `json:"version"`
	Blobs   int `json:"blobs"`
}

// Authorization is one EIP-7702 delegation: the authority lets Delegate's
// code run as its own account.
type Authorization struct {
	ChainID   string      `json:"chainId"`
	ChainName string      `json:"chainName"` // "any chain" for chain id 0
	AnyChain  bool        `json:"anyChain"`
	Delegate  label.Addr  `json:"delegate"`
	Nonce     uint64      `json:"nonce"`
	Authority *label.Addr `json:"authority,omitempty"` // nil when the signature is invalid
	// Invalid says why the signature does not recover an authority.
	Invalid string `json:"invalid,omitempty"`
}

// TypeName names a transaction type as people know it.
func TypeName(t uint8) string {
	switch t {
	case types.LegacyTxType:
		return "legacy"
	case types.AccessListTxType:
		return "access-list (EIP-2930)"
	case types.DynamicFeeTxType:
		return "dynamic-fee (EIP-1559)"
	case types.BlobTxType:
		return "blob (EIP-4844)"
	case types.SetCodeTxType:
		return "set-code (EIP-7702)"
	}
	return "unknown"
}

// Options carry what decoding needs beyond the bytes.
type Options struct {
	Labels *label.Labeler    // labels for the chain the transaction names; may be nil
	Calls  *calldata.Decoder // decodes the calldata; may be nil
	// Chain, when not zero, is the chain the user expects: it labels a
	// request that names no chain. A transaction for another chain is
	// guard's finding, not a decoding problem: it is valid on its own chain.
	Chain uint64
}

func (o Options) labeler(chain *big.Int) *label.Labeler {
	var id uint64
	if chain != nil && chain.IsUint64() {
		id = chain.Uint64()
	}
	if o.Labels == nil {
		return label.New(id, nil)
	}
	return o.Labels.OnChain(id)
}

// describe fills a Tx from a go-ethereum transaction on a chain (nil: the
// transaction names none); sender and signing details are the caller's.
func describe(gtx *types.Transaction, chain *big.Int, o Options) *Tx {
	lab := o.labeler(chain)
	nonce, gas := gtx.Nonce(), gtx.Gas()
	// gtx's accessors copy (a big.Int, all of the calldata): read each once.
	value, to := gtx.Value(), gtx.To()
	t := &Tx{
		Source:     SourceRaw,
		Type:       gtx.Type(),
		TypeName:   TypeName(gtx.Type()),
		Nonce:      &nonce,
		Gas:        &gas,
		Value:      Wei{value, lab.Ether(value)},
		Data:       gtx.Data(),
		AccessList: gtx.AccessList(),
		BlobHashes: gtx.BlobHashes(),
	}
	t.Replayable = gtx.Type() == types.LegacyTxType && chain == nil
	if chain != nil {
		t.ChainID = chain
		t.ChainName = chainName(chain)
	}
	if to != nil {
		a := lab.Addr(*to)
		t.To = &a
	}
	t.amounts.value = value
	switch gtx.Type() {
	case types.LegacyTxType, types.AccessListTxType:
		t.amounts.feeCap = gtx.GasPrice()
		t.amounts.tipCap = t.amounts.feeCap
		t.GasPrice = gwei(t.amounts.feeCap)
	default:
		t.amounts.feeCap, t.amounts.tipCap = gtx.GasFeeCap(), gtx.GasTipCap()
		t.MaxFeePerGas = gwei(t.amounts.feeCap)
		t.MaxPriorityFeePerGas = gwei(t.amounts.tipCap)
	}
	if gtx.Type() == types.BlobTxType {
		t.MaxFeePerBlobGas = gwei(gtx.BlobGasFeeCap())
		if sc := gtx.BlobTxSidecar(); sc != nil {
			t.Sidecar = &Sidecar{Version: int(sc.Version), Blobs: len(sc.Blobs)}
		}
	}
	for _, auth := range gtx.SetCodeAuthorizations() {
		t.Authorizations = append(t.Authorizations, describeAuth(auth, lab))
	}
	if o.Calls != nil && (len(t.Data) > 0 || t.To != nil) {
		// The call shares the transaction's value and bytes: neither is
		// ever changed after decoding.
		t.Call = o.Calls.WithLabels(lab).Decode(to, value, t.Data)
	}
	return t
}

func describeAuth(a types.SetCodeAuthorization, lab *label.Labeler) Authorization {
	out := Authorization{
		ChainID: a.ChainID.Dec(),
		Nonce:   a.Nonce,
	}
	authLab := lab
	if a.ChainID.IsZero() {
		out.AnyChain = true
		out.ChainName = "any chain"
	} else {
		out.ChainName = chainName(a.ChainID.ToBig())
		var id uint64 // a chain id past 64 bits is no chain txguard has labels for
		if a.ChainID.IsUint64() {
			id = a.ChainID.Uint64()
		}
		authLab = lab.OnChain(id)
	}
	out.Delegate = authLab.Addr(a.Address)
	if a.R.IsZero() && a.S.IsZero() {
		out.Invalid = "not signed yet (r = s = 0)"
	} else if who, err := a.Authority(); err != nil {
		out.Invalid = err.Error()
	} else {
		addr := authLab.Addr(who)
		out.Authority = &addr
	}
	return out
}

func gwei(v *big.Int) *Wei {
	if v == nil {
		return nil
	}
	return &Wei{v, label.Gwei(v)}
}

// chainName names a chain id of any size.
func chainName(id *big.Int) string {
	if !id.IsUint64() {
		return "chain " + id.String()
	}
	return label.ChainName(id.Uint64())
}
