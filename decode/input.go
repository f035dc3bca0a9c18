package decode

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"unicode/utf8"
)

// parseHex reads hex with or without 0x. Errors give the offset of the bad
// character in the trimmed input, so a person can find the typo.
func parseHex(s []byte) ([]byte, error) {
	prefix := 0
	if hasHexPrefix(s) {
		s, prefix = s[2:], 2
	}
	out := make([]byte, hex.DecodedLen(len(s)))
	if _, err := hex.Decode(out, s); err != nil {
		var bad hex.InvalidByteError
		if errors.As(err, &bad) {
			off := bytes.IndexByte(s, byte(bad))
			r, _ := utf8.DecodeRune(s[off:]) // the character, not its first byte
			return nil, fmt.Errorf("decode: %q at offset %d is not a hex digit", r, off+prefix)
		}
		return nil, fmt.Errorf("decode: odd number of hex digits (%d)", len(s))
	}
	return out, nil
}

func hasHexPrefix(s []byte) bool {
	return len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')
}

// isHexText reports whether s is meant as hex: 0x-prefixed, or hex digits
// only, the way people paste raw transactions and bytecode.
func isHexText(s []byte) bool {
	if hasHexPrefix(s) {
		return true
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return len(s) > 0
}
