package message

import (
	"encoding/hex"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rlp"
)

// Message is a decoded personal_sign request.
type Message struct {
	Bytes hexutil.Bytes `json:"bytes"`
	// Text is the message when its bytes are printable UTF-8 (see Printable).
	Text      string      `json:"text,omitempty"`
	Printable bool        `json:"printable"`
	Hash      common.Hash `json:"hash"` // EIP-191 version 0x45: what the key signs
	SIWE      *SIWE       `json:"siwe,omitempty"`
	// SIWEError says why a message that presents itself as Sign-In with
	// Ethereum is not one. The message is still decoded: a person may be
	// shown it, and a malformed sign-in is itself a finding for guard.
	SIWEError string `json:"siweError,omitempty"`
	// LooksLike names what the bytes resemble, when that matters to a
	// reviewer: "transaction", "hash" (exactly 32 bytes) or "hex" (the text
	// is itself a hex string, perhaps encoded twice).
	LooksLike string `json:"looksLike,omitempty"`
}

// Personal decodes a personal_sign payload: param is the string the dapp
// sent. "0x" and an even number of hex digits means bytes, as MetaMask reads
// it; anything else is UTF-8 text. Every string is a message some wallet
// will sign, so Personal cannot fail.
func Personal(param string) *Message {
	b := []byte(param)
	if hexParam().MatchString(param) {
		b, _ = hex.DecodeString(param[2:])
	}
	m := &Message{Bytes: b, Hash: common.BytesToHash(accounts.TextHash(b))}
	if printable(b) {
		m.Printable, m.Text = true, string(b)
		siwe, err := ParseSIWE(m.Text)
		if err != nil {
			m.SIWEError = err.Error()
		}
		m.SIWE = siwe
	}
	switch {
	case isTransaction(b):
		m.LooksLike = "transaction"
	case len(b) == 32:
		m.LooksLike = "hash"
	case m.Printable && hexText().MatchString(m.Text):
		m.LooksLike = "hex"
	}
	return m
}

var (
	hexParam = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^0x([0-9a-fA-F]{2})*$`) })
	// hexText is text that is hex itself: prefixed, or long enough that it
	// is not an English word like "cafe" or "deadbeef".
	hexText = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(0[xX][0-9a-fA-F]+|[0-9a-fA-F]{16,})$`) })
)

// printable reports whether b is UTF-8 text a person can read as shown:
// no control characters but newline, CRLF and tab, and no
// bidirectional overrides, which can make text read differently from the
// bytes that are signed.
func printable(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	text := string(b)
	for i, r := range text {
		switch {
		case r == '\r' && !strings.HasPrefix(text[i+1:], "\n"):
			// A bare carriage return sends the cursor back: the next words
			// overwrite what the person just read.
			return false
		case r == '\n' || r == '\r' || r == '\t':
		case unicode.IsControl(r):
			return false
		case r == '\u061c' || r == '\u200e' || r == '\u200f' ||
			'\u202a' <= r && r <= '\u202e' || '\u2066' <= r && r <= '\u2069':
			return false
		}
	}
	return true
}

// isTransaction reports whether b is a transaction, signed or as a wallet
// hashes it for signing (the same list without v, r and s).
func isTransaction(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	var tx types.Transaction
	if tx.UnmarshalBinary(b) == nil {
		return true
	}
	var typ []byte
	body := b
	if b[0] <= 0x7f {
		typ, body = []byte{b[0]}, b[1:]
	}
	if _, rest, err := rlp.SplitList(body); err != nil || len(rest) != 0 {
		return false
	}
	fields, err := rlp.SplitListValues(body)
	if err != nil {
		return false
	}
	list := make([]rlp.RawValue, 0, len(fields)+3)
	for _, f := range fields {
		list = append(list, f)
	}
	empty := rlp.RawValue{0x80}
	signed, err := rlp.EncodeToBytes(append(list, empty, empty, empty))
	if err != nil {
		return false
	}
	return tx.UnmarshalBinary(append(typ, signed...)) == nil
}
