package tx

import (
	"errors"
	"fmt"
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"
)

// Field counts of each form. A typed transaction is signed when its list
// carries the three signature fields; a legacy one has nine fields either
// way (the EIP-155 signing payload puts chainId, 0, 0 where v, r, s go) or
// six in the pre-EIP-155 signing payload.
var fieldCounts = map[uint8]struct{ unsigned, signed int }{
	types.AccessListTxType: {8, 11},
	types.DynamicFeeTxType: {9, 12},
	types.BlobTxType:       {11, 14},
	types.SetCodeTxType:    {10, 13},
}

// DecodeRaw decodes a raw transaction, signed or unsigned, of any type.
func DecodeRaw(b []byte, o Options) (*Tx, error) {
	if len(b) == 0 {
		return nil, errors.New("tx: empty input")
	}
	if b[0] >= 0xc0 {
		return decodeLegacy(b, o)
	}
	typ := b[0]
	counts, ok := fieldCounts[typ]
	if !ok {
		return nil, fmt.Errorf("tx: first byte 0x%02x is neither a known transaction type (0x01 access-list, 0x02 dynamic-fee, 0x03 blob, 0x04 set-code) nor an RLP list", typ)
	}
	n, wrapped, err := countFields(b[1:], typ == types.BlobTxType)
	if err != nil {
		return nil, fmt.Errorf("tx: %s transaction at byte 1: %v", TypeName(typ), err)
	}
	switch {
	case n == counts.signed:
		return decodeSigned(b, o)
	case n == counts.unsigned && !wrapped:
		return decodeUnsigned(b, o)
	case n == counts.unsigned:
		return nil, errors.New("tx: blob transaction in network form has no signature; the signing payload is the transaction without its sidecar")
	}
	return nil, fmt.Errorf("tx: %s transaction has %d RLP fields; want %d (signed) or %d (unsigned signing payload)",
		TypeName(typ), n, counts.signed, counts.unsigned)
}

// countFields counts the elements of the RLP list b. For blob transactions
// a list whose first element is itself a list is the network form
// [tx, (version,) blobs, commitments, proofs]: count the inner list.
func countFields(b []byte, blob bool) (n int, wrapped bool, err error) {
	content, rest, err := rlp.SplitList(b)
	if err != nil {
		return 0, false, err
	}
	if len(rest) > 0 {
		return 0, false, fmt.Errorf("%d bytes after the end of the RLP list", len(rest))
	}
	if blob {
		if kind, inner, _, err := rlp.Split(content); err == nil && kind == rlp.List {
			n, err := rlp.CountValues(inner)
			return n, true, err
		}
	}
	n, err = rlp.CountValues(content)
	return n, false, err
}

func decodeLegacy(b []byte, o Options) (*Tx, error) {
	n, _, err := countFields(b, false)
	if err != nil {
		return nil, fmt.Errorf("tx: legacy transaction: %v", err)
	}
	switch n {
	case 6:
		return decodeUnsigned(b, o)
	case 9:
		gtx := new(types.Transaction)
		if err := gtx.UnmarshalBinary(b); err != nil {
			return nil, fmt.Errorf("tx: legacy transaction: %v", err)
		}
		// r = s = 0 marks the EIP-155 signing payload, whose v is the chain id.
		if v, r, s := gtx.RawSignatureValues(); r.Sign() == 0 && s.Sign() == 0 {
			if v.Sign() == 0 {
				return nil, errors.New("tx: legacy signing payload has chain id 0 where EIP-155 needs the chain id (field 7)")
			}
			return unsigned(gtx, v, b, o), nil
		}
		return signed(gtx, o), nil
	}
	return nil, fmt.Errorf("tx: legacy transaction has %d RLP fields; want 9 (signed, or EIP-155 signing payload) or 6 (pre-EIP-155 signing payload)", n)
}

func decodeSigned(b []byte, o Options) (*Tx, error) {
	gtx := new(types.Transaction)
	if err := gtx.UnmarshalBinary(b); err != nil {
		return nil, fmt.Errorf("tx: %s transaction: %v", TypeName(txType(b)), err)
	}
	return signed(gtx, o), nil
}

// decodeUnsigned decodes a signing payload by appending zero v, r, s and
// handing it to go-ethereum: its decoder, with every canonical-encoding
// check, stays the only one.
func decodeUnsigned(b []byte, o Options) (*Tx, error) {
	typ := txType(b)
	list := b
	if typ != types.LegacyTxType {
		list = b[1:]
	}
	content, _, err := rlp.SplitList(list)
	if err != nil {
		return nil, fmt.Errorf("tx: %s signing payload: %v", TypeName(typ), err)
	}
	// The padded copy is scratch: go-ethereum's decoder copies what it
	// keeps (rlp.Stream allocates every byte string it returns), so the
	// buffer goes back to the pool when the decoder is done with it.
	buf := paddedBufs.Get().(*[]byte)
	defer func() {
		if cap(*buf) <= maxPooled {
			paddedBufs.Put(buf)
		}
	}()
	padded := (*buf)[:0]
	if typ != types.LegacyTxType {
		padded = append(padded, typ)
	}
	padded = appendListHeader(padded, len(content)+3)
	padded = append(append(padded, content...), 0x80, 0x80, 0x80) // v, r, s = 0
	*buf = padded
	gtx := new(types.Transaction)
	if err := gtx.UnmarshalBinary(padded); err != nil {
		return nil, fmt.Errorf("tx: %s signing payload: %v", TypeName(typ), err)
	}
	var chain *big.Int
	if typ != types.LegacyTxType {
		chain = gtx.ChainId()
	}
	return unsigned(gtx, chain, b, o), nil
}

var paddedBufs = sync.Pool{New: func() any { return new([]byte) }}

// maxPooled keeps blob transactions' payloads (128 KiB a blob) out of the
// pool.
const maxPooled = 64 << 10

func txType(b []byte) uint8 {
	if len(b) > 0 && b[0] <= 0x7f {
		return b[0]
	}
	return types.LegacyTxType
}

// signed describes a signed transaction and recovers its sender.
func signed(gtx *types.Transaction, o Options) *Tx {
	var chain *big.Int
	if gtx.Type() != types.LegacyTxType || gtx.Protected() {
		chain = gtx.ChainId()
	}
	t := describe(gtx, chain, o)
	t.Signed = true
	h := gtx.Hash()
	t.Hash = &h
	signer, err := signerFor(gtx, chain)
	if err != nil {
		t.Problems = append(t.Problems, err.Error())
		t.Problems = append(t.Problems, check(gtx, chain, t.amounts)...)
		return t
	}
	sh := signer.Hash(gtx)
	t.SigningHash = &sh
	if from, err := types.Sender(signer, gtx); err != nil {
		t.Problems = append(t.Problems, "signature does not recover a sender: "+err.Error())
	} else {
		a := o.labeler(chain).Addr(from)
		t.From, t.FromSource = &a, "recovered"
	}
	t.Problems = append(t.Problems, check(gtx, chain, t.amounts)...)
	return t
}

// unsigned describes payload, a signing payload for chain (nil:
// pre-EIP-155), decoded into gtx.
func unsigned(gtx *types.Transaction, chain *big.Int, payload []byte, o Options) *Tx {
	t := describe(gtx, chain, o)
	if err := noSigner(gtx, chain); err != nil {
		t.Problems = append(t.Problems, err.Error())
	} else {
		// The signing hash is the keccak of the payload as given: the
		// decoder accepted only canonical RLP with nothing after the list,
		// so these are the very bytes go-ethereum's signer would encode
		// again (FuzzDecodeRaw holds the two together). Encoding them again
		// was a fifth of decoding a swap.
		sh := crypto.Keccak256Hash(payload)
		t.SigningHash = &sh
	}
	t.Problems = append(t.Problems, check(gtx, chain, t.amounts)...)
	return t
}

// signerFor picks the signer of a transaction on chain (nil: replayable
// pre-EIP-155). go-ethereum's modern signers panic on chain id 0, and a
// typed transaction for chain 0 has no signer at all.
func signerFor(gtx *types.Transaction, chain *big.Int) (types.Signer, error) {
	if err := noSigner(gtx, chain); err != nil {
		return nil, err
	}
	switch {
	case chain == nil:
		return types.HomesteadSigner{}, nil
	case gtx.Type() == types.LegacyTxType:
		return types.NewEIP155Signer(chain), nil
	}
	return types.LatestSignerForChainID(chain), nil
}

// noSigner says why a transaction on chain has no signer, nil when it has.
func noSigner(gtx *types.Transaction, chain *big.Int) error {
	if chain != nil && gtx.Type() != types.LegacyTxType && chain.Sign() == 0 {
		return errors.New("no signer for chain id 0: neither sender nor signing hash can be computed")
	}
	return nil
}

// appendListHeader appends the RLP header of a list of size bytes.
func appendListHeader(b []byte, size int) []byte {
	if size < 56 {
		return append(b, 0xc0+byte(size))
	}
	var n [8]byte
	i := len(n)
	for v := size; v > 0; v >>= 8 {
		i--
		n[i] = byte(v)
	}
	return append(append(b, 0xf7+byte(len(n)-i)), n[i:]...)
}
