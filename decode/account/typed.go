package account

import (
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/typeddata"
)

// The struct types FromTypedData reads, written as encodeType writes them:
// the primary type, its members in order, their types.
const (
	// Safe 0.1.0 (safe-smart-account v0.1.0 GnosisSafe.sol).
	shapeSafeTxDataGas = "SafeTx(address to,uint256 value,bytes data,uint8 operation,uint256 safeTxGas,uint256 dataGas,uint256 gasPrice,address gasToken,address refundReceiver,uint256 nonce)"
	// Safe 1.0.0 to 1.5.0 (GnosisSafe.sol, Safe.sol).
	shapeSafeTxBaseGas = "SafeTx(address to,uint256 value,bytes data,uint8 operation,uint256 safeTxGas,uint256 baseGas,uint256 gasPrice,address gasToken,address refundReceiver,uint256 nonce)"
	// Safe4337Module 0.2.0: EntryPoint v0.6's UserOperation fields.
	shapeSafeOp020 = "SafeOp(address safe,uint256 nonce,bytes initCode,bytes callData,uint256 callGasLimit,uint256 verificationGasLimit,uint256 preVerificationGas,uint256 maxFeePerGas,uint256 maxPriorityFeePerGas,bytes paymasterAndData,uint48 validAfter,uint48 validUntil,address entryPoint)"
	// Safe4337Module 0.3.0: v0.7's packed fields unpacked, in its order.
	shapeSafeOp030 = "SafeOp(address safe,uint256 nonce,bytes initCode,bytes callData,uint128 verificationGasLimit,uint128 callGasLimit,uint256 preVerificationGas,uint128 maxPriorityFeePerGas,uint128 maxFeePerGas,bytes paymasterAndData,uint48 validAfter,uint48 validUntil,address entryPoint)"
	// EntryPoint v0.8 and v0.9 UserOperationLib PACKED_USEROP_TYPEHASH.
	shapePackedUserOp = "PackedUserOperation(address sender,uint256 nonce,bytes initCode,bytes callData,bytes32 accountGasLimits,uint256 preVerificationGas,bytes32 gasFees,bytes paymasterAndData)"
)

// FromTypedData reads a SafeTx, a Safe4337Module SafeOp or an EntryPoint
// v0.8+ PackedUserOperation as the operation it authorises. It returns
// nil, nil for any other typed data, including a look-alike whose members
// differ from the contract's, and one that names no verifyingContract
// (no Safe, module or entry point would accept it): the caller reports
// those unread. d may be nil; addresses are labelled on the domain's chain.
func FromTypedData(td *typeddata.TypedData, d *calldata.Decoder) (*Op, error) {
	if td == nil || td.Domain.VerifyingContract == nil {
		return nil, nil
	}
	switch td.PrimaryType {
	case "SafeTx", "SafeOp", "PackedUserOperation":
	default:
		return nil, nil
	}
	m := message(td)
	switch shape(td.PrimaryType, td.Message) {
	case shapeSafeTxDataGas:
		return safeTx(td, m, d, "dataGas")
	case shapeSafeTxBaseGas:
		return safeTx(td, m, d, "baseGas")
	case shapeSafeOp020:
		return safeOp(td, m, d, "0.2.0")
	case shapeSafeOp030:
		return safeOp(td, m, d, "0.3.0")
	case shapePackedUserOp:
		return packedUserOp(td, m, d)
	}
	return nil, nil
}

// shape writes a struct as encodeType does, from its members in order.
func shape(name string, fields []typeddata.Field) string {
	var b strings.Builder
	b.WriteString(name)
	b.WriteByte('(')
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(f.Type)
		b.WriteByte(' ')
		b.WriteString(f.Name)
	}
	b.WriteByte(')')
	return b.String()
}

// domainShape is the declared EIP712Domain, as encodeType writes it.
func domainShape(td *typeddata.TypedData) string {
	var fields []typeddata.Field
	for _, t := range td.Raw.Types["EIP712Domain"] {
		fields = append(fields, typeddata.Field{Name: t.Name, Type: t.Type})
	}
	return shape("EIP712Domain", fields)
}

// values are a message's top-level members, canonical text by name; the
// shapes read here hold atomic members only, each present (typeddata
// refuses a missing atomic value).
type values map[string]string

func message(td *typeddata.TypedData) values {
	m := make(values, len(td.Message))
	for _, f := range td.Message {
		m[f.Name] = f.Value
	}
	return m
}

func (m values) addr(name string) common.Address { return common.HexToAddress(m[name]) }

func (m values) num(name string) *big.Int {
	x, ok := new(big.Int).SetString(m[name], 10)
	if !ok {
		return new(big.Int)
	}
	return x
}

func (m values) bytes(name string) []byte {
	b, err := hexutil.Decode(m[name])
	if err != nil {
		return nil
	}
	return b
}
