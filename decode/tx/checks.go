package tx

import (
	"bytes"
	"fmt"
	"math"
	"math/big"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
)

var maxUint256 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))

// check lists the consensus rules (as of Prague) a decoded transaction for
// chain (nil: none, pre-EIP-155) breaks: it would never be included,
// whoever signs it.
func check(gtx *types.Transaction, chain *big.Int, a amounts) []string {
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	typ, feeCap, data := gtx.Type(), a.feeCap, gtx.Data()

	if chain != nil && chain.Sign() == 0 && (typ != types.LegacyTxType) {
		add("chain id 0 is not a chain; no network accepts this transaction")
	}
	if gtx.Nonce() == math.MaxUint64 {
		add("nonce is 2^64-1, which EIP-2681 forbids")
	}
	if a.value.Cmp(maxUint256) > 0 {
		add("value does not fit in 256 bits")
	}
	if feeCap.Cmp(maxUint256) > 0 {
		add("gas price does not fit in 256 bits")
	}
	if typ != types.LegacyTxType && typ != types.AccessListTxType {
		if tip := a.tipCap; tip.Cmp(feeCap) > 0 {
			add("max priority fee %s is above max fee %s", tip, feeCap)
		}
	}
	if cost := new(big.Int).Mul(feeCap, new(big.Int).SetUint64(gtx.Gas())); cost.Cmp(maxUint256) > 0 {
		add("gas limit times fee per gas does not fit in 256 bits")
	}
	creation := gtx.To() == nil
	need, floor := intrinsicGas(gtx, data, creation)
	switch {
	case gtx.Gas() < need:
		add("gas limit %d is below the %d this transaction needs before it runs (intrinsic gas)", gtx.Gas(), need)
	case gtx.Gas() < floor:
		add("gas limit %d is below the calldata floor of %d gas that Prague set (EIP-7623)", gtx.Gas(), floor)
	}
	if creation && len(data) > params.MaxInitCodeSize {
		add("init code of %d bytes is above the %d-byte limit (EIP-3860)", len(data), params.MaxInitCodeSize)
	}
	switch typ {
	case types.SetCodeTxType:
		if len(gtx.SetCodeAuthorizations()) == 0 {
			add("set-code transaction with an empty authorization list (EIP-7702 forbids it)")
		}
	case types.BlobTxType:
		if len(gtx.BlobHashes()) == 0 {
			add("blob transaction without blob hashes (EIP-4844 forbids it)")
		}
	}
	return p
}

// intrinsicGas is the gas a transaction pays before its first opcode, and
// the EIP-7623 calldata floor: a gas limit below either is never included.
// data is gtx's calldata, creation whether it has no recipient.
func intrinsicGas(gtx *types.Transaction, data []byte, creation bool) (gas, floor uint64) {
	zeros := uint64(bytes.Count(data, []byte{0})) // vectorised for one byte
	nonZeros := uint64(len(data)) - zeros
	gas = params.TxGas
	if creation {
		gas = params.TxGasContractCreation
		gas += (uint64(len(data)) + 31) / 32 * params.InitCodeWordGas
	}
	gas += zeros*params.TxDataZeroGas + nonZeros*params.TxDataNonZeroGasEIP2028
	for _, tuple := range gtx.AccessList() {
		gas += params.TxAccessListAddressGas + uint64(len(tuple.StorageKeys))*params.TxAccessListStorageKeyGas
	}
	gas += uint64(len(gtx.SetCodeAuthorizations())) * params.CallNewAccountGas
	floor = params.TxGas + (zeros+nonZeros*params.TxTokenPerNonZeroByte)*params.TxCostFloorPerToken
	return gas, floor
}
