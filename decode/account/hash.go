package account

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
)

// userOp is a UserOperation's hashed fields, in the v0.6 layout; the
// v0.7+ packed words are built from them.
type userOp struct {
	sender                             common.Address
	nonce                              *big.Int
	initCode, callData                 []byte
	callGasLimit, verificationGasLimit *big.Int
	preVerificationGas                 *big.Int
	maxFeePerGas, maxPriorityFeePerGas *big.Int
	paymasterAndData                   []byte
}

// Type hashes of EntryPoint v0.8+ (UserOperationLib PACKED_USEROP_TYPEHASH,
// and OpenZeppelin's EIP712 domain with name and version).
var (
	packedUserOpTypeHash = crypto.Keccak256(
		[]byte("PackedUserOperation(address sender,uint256 nonce,bytes initCode,bytes callData,bytes32 accountGasLimits,uint256 preVerificationGas,bytes32 gasFees,bytes paymasterAndData)"))
	domainTypeHash = crypto.Keccak256(
		[]byte("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"))
)

// word is x as a uint256 ABI word.
func word(x *big.Int) []byte { return math.U256Bytes(new(big.Int).Set(x)) }

func addrWord(a common.Address) []byte { return common.LeftPadBytes(a.Bytes(), 32) }

// pack128 puts two uint128 into one word, high ‖ low, as v0.7 packs
// accountGasLimits and gasFees.
func pack128(high, low *big.Int) []byte {
	w := make([]byte, 32)
	high.FillBytes(w[:16])
	low.FillBytes(w[16:])
	return w
}

// hashV06 is EntryPoint v0.6's getUserOpHash:
// keccak256(abi.encode(keccak256(pack(op)), entryPoint, chainId)).
func hashV06(u userOp, entryPoint common.Address, chain *big.Int) common.Hash {
	inner := crypto.Keccak256(
		addrWord(u.sender), word(u.nonce),
		crypto.Keccak256(u.initCode), crypto.Keccak256(u.callData),
		word(u.callGasLimit), word(u.verificationGasLimit), word(u.preVerificationGas),
		word(u.maxFeePerGas), word(u.maxPriorityFeePerGas),
		crypto.Keccak256(u.paymasterAndData))
	return crypto.Keccak256Hash(inner, addrWord(entryPoint), word(chain))
}

// packedWords are the PackedUserOperation members as v0.7+ hashes them,
// with the initCode and paymasterAndData hashes given.
func (u userOp) packedWords(initCodeHash, paymasterHash []byte) [][]byte {
	return [][]byte{
		addrWord(u.sender), word(u.nonce),
		initCodeHash, crypto.Keccak256(u.callData),
		pack128(u.verificationGasLimit, u.callGasLimit), word(u.preVerificationGas),
		pack128(u.maxPriorityFeePerGas, u.maxFeePerGas),
		paymasterHash,
	}
}

// hashV07 is EntryPoint v0.7's getUserOpHash: v0.6's, over the packed
// fields.
func hashV07(u userOp, entryPoint common.Address, chain *big.Int) common.Hash {
	inner := crypto.Keccak256(u.packedWords(crypto.Keccak256(u.initCode), crypto.Keccak256(u.paymasterAndData))...)
	return crypto.Keccak256Hash(inner, addrWord(entryPoint), word(chain))
}

// hashEIP712 is EntryPoint v0.8 and v0.9's getUserOpHash, the EIP-712
// digest of PackedUserOperation under ("ERC4337", "1", chain, entryPoint).
// An EIP-7702 initCode is hashed with delegate in place of the marker;
// v0.9 hashes a paymaster signature's place as the magic alone
// (UserOperationLib.paymasterDataKeccak). The caller has checked that a
// v0.9 signature length is valid.
func hashEIP712(u userOp, entryPoint common.Address, chain *big.Int, delegate *common.Address, v09 bool) common.Hash {
	initCodeHash := crypto.Keccak256(u.initCode)
	if isEIP7702(u.initCode) && delegate != nil {
		rest := []byte{}
		if len(u.initCode) > 20 {
			rest = u.initCode[20:]
		}
		initCodeHash = crypto.Keccak256(delegate.Bytes(), rest)
	}
	pmd := u.paymasterAndData
	paymasterHash := crypto.Keccak256(pmd)
	if n, _ := paymasterSignatureLen(pmd); v09 && n > 0 {
		paymasterHash = crypto.Keccak256(pmd[:len(pmd)-n-paymasterSuffixLen], paymasterSigMagic)
	}
	structHash := crypto.Keccak256(append([][]byte{packedUserOpTypeHash}, u.packedWords(initCodeHash, paymasterHash)...)...)
	domain := crypto.Keccak256(domainTypeHash, crypto.Keccak256([]byte("ERC4337")), crypto.Keccak256([]byte("1")),
		word(chain), addrWord(entryPoint))
	return crypto.Keccak256Hash([]byte{0x19, 0x01}, domain, structHash)
}
