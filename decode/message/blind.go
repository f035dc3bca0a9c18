package message

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// BlindHash is an eth_sign request: a raw 32-byte hash signed as it is.
type BlindHash struct {
	Hash common.Hash `json:"hash"`
	Note string      `json:"note"`
}

// blindNote is what every reviewer must be told: nothing about a bare hash
// says what it commits to.
const blindNote = "eth_sign signs this hash as it is, with no prefix: it can be the hash of a transaction, a permit or an order, and nothing shows which"

// Blind decodes eth_sign of a raw 32-byte hash (blind signing): exactly 32
// bytes of 0x-prefixed hex, else an error.
func Blind(param string) (*BlindHash, error) {
	b, err := hexutil.Decode(param)
	if err != nil {
		return nil, fmt.Errorf("message: eth_sign data %s: %v", quote(param), err)
	}
	if len(b) != 32 {
		return nil, fmt.Errorf("message: eth_sign data is %d bytes, want exactly 32", len(b))
	}
	return &BlindHash{Hash: common.BytesToHash(b), Note: blindNote}, nil
}
