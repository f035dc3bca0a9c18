package account

import (
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// eip7702Marker is the initCode "factory" of an EIP-7702 account: 0x7702
// right-padded to 20 bytes (ERC-4337; EntryPoint v0.8 Eip7702Support).
var eip7702Marker = common.HexToAddress("0x7702000000000000000000000000000000000000")

// setInitCode reads initCode: a factory (20 bytes) and its setup data, or
// the EIP-7702 marker (v0.8+: the account is an EOA with delegated code,
// and any bytes after the marker are a call to the account itself).
func (o *Op) setInitCode(r reader, initCode []byte, epVersion string) {
	switch {
	case len(initCode) == 0:
		return
	case isEIP7702(initCode):
		o.Factory = r.addrPtr(eip7702Marker)
		if len(initCode) > 20 {
			o.FactoryData = initCode[20:]
		}
		if epVersion == "0.6" || epVersion == "0.7" {
			o.note("initCode starts with the EIP-7702 marker, which EntryPoint v%s does not know: it would call 0x7702…0000 as a factory, and the operation would fail", epVersion)
		} else {
			o.note("initCode is the EIP-7702 marker: the sender is an EOA whose delegated code runs the operation; no factory deploys it")
		}
	case len(initCode) < 20:
		o.FactoryData = initCode
		o.note("initCode is %d bytes, too short to name a factory: the EntryPoint would refuse the operation", len(initCode))
	default:
		o.Factory = r.addrPtr(common.BytesToAddress(initCode[:20]))
		o.FactoryData = initCode[20:]
	}
}

// isEIP7702 is EntryPoint v0.8's test: at least 2 bytes, whose first 20
// (zero-padded) are 0x7702 followed by zeros.
func isEIP7702(initCode []byte) bool {
	if len(initCode) < 2 || initCode[0] != 0x77 || initCode[1] != 0x02 {
		return false
	}
	for _, b := range initCode[2:min(len(initCode), 20)] {
		if b != 0 {
			return false
		}
	}
	return true
}

// Paymaster layout: v0.6 is paymaster ‖ data; v0.7+ puts two 16-byte gas
// limits between (UserOperationLib PAYMASTER_DATA_OFFSET).
const (
	paymasterDataOffset = 52
	paymasterSuffixLen  = 10 // uint16 signature length ‖ 8-byte magic
)

// paymasterSigMagic ends a v0.9 paymasterAndData that carries the
// paymaster's own signature: keccak256("PaymasterSignature")[:8].
var paymasterSigMagic = hexutil.MustDecode("0x22e325a297439656")

// setPaymaster reads paymasterAndData: who pays the gas, and the data it
// is handed (without gas limits, or a v0.9 paymaster signature). hashed
// says pmd is the form v0.9 hashes, where the signature and its length
// are gone and only the magic is left.
func (o *Op) setPaymaster(r reader, pmd []byte, epVersion string, hashed bool) {
	if len(pmd) == 0 {
		return
	}
	offset := paymasterDataOffset
	if epVersion == "0.6" {
		offset = 20
	}
	if len(pmd) < 20 {
		o.note("paymasterAndData is %d bytes, too short to name a paymaster: the EntryPoint would refuse the operation", len(pmd))
		return
	}
	o.Paymaster = r.addrPtr(common.BytesToAddress(pmd[:20]))
	if len(pmd) < offset {
		o.note("paymasterAndData is %d bytes, too short for the paymaster's gas limits (%d): the EntryPoint would refuse the operation", len(pmd), offset)
		return
	}
	data := pmd[offset:]
	switch {
	case epVersion != "0.9":
	case hashed:
		if len(pmd) >= offset+len(paymasterSigMagic) && hasSuffix(pmd, paymasterSigMagic) {
			data = pmd[offset : len(pmd)-len(paymasterSigMagic)]
			o.note("paymasterAndData ends with the v0.9 paymaster-signature magic: the paymaster adds its own signature later, and it is not covered by this one")
		}
	default:
		if n, ok := paymasterSignatureLen(pmd); ok && n > 0 {
			data = pmd[offset : len(pmd)-n-paymasterSuffixLen]
			o.note("the paymaster adds its own signature (%d bytes) after paymasterData; it is not covered by the userOpHash", n)
		}
	}
	o.PaymasterData = data
}

// paymasterSignatureLen is EntryPoint v0.9's getPaymasterSignatureLength:
// the length of a paymaster signature at the end of paymasterAndData (0:
// none); ok is false when the length field claims more than there is,
// which the EntryPoint refuses.
func paymasterSignatureLen(pmd []byte) (n int, ok bool) {
	if len(pmd) < paymasterDataOffset+paymasterSuffixLen || !hasSuffix(pmd, paymasterSigMagic) {
		return 0, true
	}
	n = int(pmd[len(pmd)-10])<<8 | int(pmd[len(pmd)-9])
	if n > len(pmd)-paymasterDataOffset-paymasterSuffixLen {
		return n, false
	}
	return n, true
}

func hasSuffix(b, suffix []byte) bool {
	return len(b) >= len(suffix) && string(b[len(b)-len(suffix):]) == string(suffix)
}
