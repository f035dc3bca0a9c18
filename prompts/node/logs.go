package node

import (
	"math/big"
	"strings"
	"unicode"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/txguard/txguard/guard"
)

// Event topics of the standards whose moves the verdict follows.
var (
	topicTransfer       = crypto.Keccak256Hash([]byte("Transfer(address,address,uint256)"))
	topicApproval       = crypto.Keccak256Hash([]byte("Approval(address,address,uint256)"))
	topicApprovalForAll = crypto.Keccak256Hash([]byte("ApprovalForAll(address,address,bool)"))
	topicSingle         = crypto.Keccak256Hash([]byte("TransferSingle(address,address,address,uint256,uint256)"))
	topicBatch          = crypto.Keccak256Hash([]byte("TransferBatch(address,address,address,uint256[],uint256[])"))
	topicDeposit        = crypto.Keccak256Hash([]byte("Deposit(address,uint256)"))    // WETH9: wraps without a Transfer
	topicWithdrawal     = crypto.Keccak256Hash([]byte("Withdrawal(address,uint256)")) // WETH9: unwraps without one
	// Permit2's AllowanceTransfer.Approval and Permit (Uniswap/permit2
	// src/interfaces/IAllowanceTransfer.sol).
	topicPermit2Approval = crypto.Keccak256Hash([]byte("Approval(address,address,address,uint160,uint48)"))
	topicPermit2Permit   = crypto.Keccak256Hash([]byte("Permit(address,address,address,uint160,uint48,uint48)"))
)

// Addresses that log native-currency moves: eth_simulateV1's traceTransfers
// logs them as an ERC-20 Transfer from 0xEeee…EEeE, and EIP-7708 (where a
// node implements it) from the system address.
var (
	nativeTransferLogger = common.HexToAddress("0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE")
	eip7708Logger        = common.HexToAddress("0xfffffffffffffffffffffffffffffffffffffffe")
)

// maxLogs bounds how many logs of one simulation are read: a hostile
// contract can emit as many as its gas allows.
const maxLogs = 4096

// effects reads the transfers and approvals in the calls' logs. calls[i]
// are the logs of call i. It reports whether logs were left unread.
func effects(calls [][]*types.Log, permit2 func(common.Address) bool) (ts []guard.Transfer, gs []guard.Grant, capped bool) {
	seen := 0
	for i, logs := range calls {
		for _, l := range logs {
			if seen++; seen > maxLogs {
				return ts, gs, true
			}
			t, g := readLog(l, i, permit2)
			ts, gs = append(ts, t...), append(gs, g...)
		}
	}
	return ts, gs, false
}

func readLog(l *types.Log, call int, permit2 func(common.Address) bool) ([]guard.Transfer, []guard.Grant) {
	if l == nil || len(l.Topics) == 0 {
		return nil, nil
	}
	topic := func(i int) common.Address { return common.BytesToAddress(l.Topics[i].Bytes()) }
	word := func(i int) *big.Int {
		if len(l.Data) < 32*(i+1) {
			return nil
		}
		return new(big.Int).SetBytes(l.Data[32*i : 32*(i+1)])
	}
	token := guard.Asset{Standard: guard.AssetERC20, Token: l.Address}
	switch l.Topics[0] {
	case topicTransfer:
		switch {
		case len(l.Topics) == 3 && len(l.Data) == 32 && (l.Address == nativeTransferLogger || l.Address == eip7708Logger):
			return []guard.Transfer{{Asset: guard.Asset{Standard: guard.AssetNative}, From: topic(1), To: topic(2), Amount: guard.Dec{Int: word(0)}, Call: call}}, nil
		case len(l.Topics) == 3 && len(l.Data) == 32:
			return []guard.Transfer{{Asset: token, From: topic(1), To: topic(2), Amount: guard.Dec{Int: word(0)}, Call: call}}, nil
		case len(l.Topics) == 4 && len(l.Data) == 0:
			token.Standard = guard.AssetERC721
			id := new(big.Int).SetBytes(l.Topics[3].Bytes())
			return []guard.Transfer{{Asset: token, From: topic(1), To: topic(2), Amount: guard.Dec{Int: big.NewInt(1)}, ID: &guard.Dec{Int: id}, Call: call}}, nil
		}
	case topicSingle:
		if len(l.Topics) == 4 && len(l.Data) == 64 {
			token.Standard = guard.AssetERC1155
			return []guard.Transfer{{Asset: token, From: topic(2), To: topic(3), Amount: guard.Dec{Int: word(1)}, ID: &guard.Dec{Int: word(0)}, Call: call}}, nil
		}
	case topicBatch:
		if len(l.Topics) == 4 {
			token.Standard = guard.AssetERC1155
			return batchTransfers(l, token, topic(2), topic(3), call), nil
		}
	case topicDeposit, topicWithdrawal:
		if len(l.Topics) == 2 && len(l.Data) == 32 {
			t := guard.Transfer{Asset: token, To: topic(1), Amount: guard.Dec{Int: word(0)}, Call: call}
			if l.Topics[0] == topicWithdrawal {
				t.From, t.To = topic(1), common.Address{}
			}
			return []guard.Transfer{t}, nil
		}
	case topicApproval:
		switch {
		case len(l.Topics) == 3 && len(l.Data) == 32:
			amt := word(0)
			return nil, []guard.Grant{{Asset: token, Owner: topic(1), Spender: topic(2), Amount: &guard.Dec{Int: amt}, Revoked: amt.Sign() == 0, Via: "erc20", Call: call}}
		case len(l.Topics) == 4 && len(l.Data) == 0:
			token.Standard = guard.AssetERC721
			spender := topic(2)
			return nil, []guard.Grant{{Asset: token, Owner: topic(1), Spender: spender, Amount: &guard.Dec{Int: big.NewInt(1)}, Revoked: spender == (common.Address{}), Via: "erc721", Call: call}}
		}
	case topicApprovalForAll:
		if len(l.Topics) == 3 && len(l.Data) == 32 {
			token.Standard = guard.AssetERC721 // or ERC-1155: the same event
			return nil, []guard.Grant{{Asset: token, Owner: topic(1), Spender: topic(2), Operator: true, Revoked: word(0).Sign() == 0, Via: "operator", Call: call}}
		}
	case topicPermit2Approval, topicPermit2Permit:
		if len(l.Topics) == 4 && len(l.Data) >= 64 && permit2(l.Address) {
			amt := word(0)
			t := guard.Asset{Standard: guard.AssetERC20, Token: topic(2)}
			return nil, []guard.Grant{{Asset: t, Owner: topic(1), Spender: topic(3), Amount: &guard.Dec{Int: amt}, Revoked: amt.Sign() == 0, Via: "permit2", Call: call}}
		}
	}
	return nil, nil
}

// maxBatchItems bounds one TransferBatch's ids.
const maxBatchItems = 256

func batchTransfers(l *types.Log, token guard.Asset, from, to common.Address, call int) []guard.Transfer {
	arr, _ := abi.NewType("uint256[]", "", nil)
	args := abi.Arguments{{Type: arr}, {Type: arr}}
	if len(l.Data) > 64*(2*maxBatchItems+4) {
		return nil
	}
	vals, err := args.Unpack(l.Data)
	if err != nil || len(vals) != 2 {
		return nil
	}
	ids, _ := vals[0].([]*big.Int)
	amts, _ := vals[1].([]*big.Int)
	if len(ids) != len(amts) {
		return nil
	}
	var out []guard.Transfer
	for i := range ids {
		out = append(out, guard.Transfer{Asset: token, From: from, To: to, Amount: guard.Dec{Int: amts[i]}, ID: &guard.Dec{Int: ids[i]}, Call: call})
	}
	return out
}

// revertReason reads a revert's data: Error(string), Panic(uint256), or a
// custom error's selector; printable, capped.
func revertReason(data []byte, fallback string) string {
	if s, err := abi.UnpackRevert(data); err == nil {
		return printable(s, 120)
	}
	if len(data) >= 4 {
		return "custom error 0x" + common.Bytes2Hex(data[:4])
	}
	return printable(fallback, 120)
}

// tokenSymbol reads symbol()'s answer: a string, or MKR's bytes32.
func tokenSymbol(ret []byte) string {
	if len(ret) == 32 {
		return printable(strings.TrimRight(string(ret), "\x00"), 16)
	}
	st, _ := abi.NewType("string", "", nil)
	vals, err := abi.Arguments{{Type: st}}.Unpack(ret)
	if err != nil || len(vals) != 1 {
		return ""
	}
	s, _ := vals[0].(string)
	return printable(s, 16)
}

// printable keeps ASCII letters, digits, spaces and common punctuation of
// s, at most n runes, and makes the rest '?': a token's symbol and a revert
// reason are anyone's words (a Cyrillic "USDС" included), and reach a
// terminal and a model.
func printable(s string, n int) string {
	var b strings.Builder
	count := 0
	for _, r := range s {
		if count >= n {
			b.WriteString("…")
			break
		}
		switch {
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(" .,:;_-+$%#()/'!?=<>[]", r)):
		default:
			r = '?'
		}
		b.WriteRune(r)
		count++
	}
	return strings.TrimSpace(b.String())
}
