package main

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// go-ethereum's RLP decoder words its errors for Go programmers: "rlp:
// expected input string or byte for uint64, decoding into
// (types.DynamicFeeTx).Nonce". rlpWords says the same for the person who
// pasted the bytes: "nonce: a list where a single value belongs".
var (
	// Both only where an error begins or follows another's ": ", never
	// inside a quoted value of the user's.
	// A decodeError: what, for which Go type, and where in which struct.
	rlpFieldErr = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(^|: )rlp: ([a-z][a-z0-9 ()-]*?) for ([\w.*\[\]]+)(?:, decoding into \([\w.*]+\)((?:\.\w+|\[\d+\])*))?`)
	})
	// A sentinel error, with nothing said of where.
	rlpBareErr = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(^|: )rlp: ([A-Za-z][A-Za-z ()-]*[a-z)])`)
	})
)

// rlpPhrases are the decoder's messages, in words. "too long" and "too
// short" depend on the type and are worded by rlpSize.
var rlpPhrases = map[string]string{
	"expected input string or byte":              "a list where a single value belongs",
	"expected String or Byte":                    "a list where a single value belongs",
	"expected input list":                        "a single value where a list belongs",
	"expected List":                              "a single value where a list belongs",
	"non-canonical integer (leading zero bytes)": "a number written with leading zero bytes, which RLP does not allow",
	"non-canonical integer format":               "a number written with leading zero bytes, which RLP does not allow",
	"non-canonical size information":             "a length written in a longer form than RLP allows",
	"input list has too many elements":           "more items than it holds",
	"too few elements":                           "fewer items than it needs",
	"value size exceeds available input length":  "the input ends before the value it announces (cut short?)",
	"element is larger than containing list":     "a value longer than the list that holds it",
	"input contains more than one value":         "more bytes after the value",
	"value too large for uint256":                "a number larger than 256 bits",
	"uint overflow":                              "a number too large for it",
}

func rlpWords(msg string) string {
	if !strings.Contains(msg, "rlp: ") {
		return msg
	}
	msg = rlpFieldErr().ReplaceAllStringFunc(msg, func(m string) string {
		sub := rlpFieldErr().FindStringSubmatch(m)
		what := rlpSize(sub[2], sub[3])
		if sub[4] == "" {
			return sub[1] + what
		}
		return sub[1] + fieldPath(sub[4]) + ": " + what
	})
	return rlpBareErr().ReplaceAllStringFunc(msg, func(m string) string {
		sub := rlpBareErr().FindStringSubmatch(m)
		if p, ok := rlpPhrases[sub[2]]; ok {
			return sub[1] + p
		}
		return sub[1] + sub[2]
	})
}

// rlpSize words a message about a value of Go type typ.
func rlpSize(msg, typ string) string {
	size := map[string]string{"common.Address": "20 bytes", "common.Hash": "32 bytes"}[strings.TrimPrefix(typ, "*")]
	switch {
	case msg == "input string too long" && size != "":
		return "longer than " + size
	case msg == "input string too short" && size != "":
		return "shorter than " + size
	case msg == "input string too long":
		return "a number too large for it"
	case msg == "input string too short":
		return "too short"
	}
	if p, ok := rlpPhrases[msg]; ok {
		return p
	}
	return msg
}

// fieldPath writes go-ethereum's ".AccessList[0].StorageKeys[1]" as the
// request's field names do: "accessList[0].storageKeys[1]".
func fieldPath(ctx string) string {
	var b strings.Builder
	for _, part := range strings.SplitAfter(strings.TrimPrefix(ctx, "."), ".") {
		r, n := utf8.DecodeRuneInString(part)
		b.WriteRune(unicode.ToLower(r))
		b.WriteString(part[n:])
	}
	return rlpFieldNames.Replace(b.String())
}

// rlpFieldNames are go-ethereum's transaction field names that the JSON
// forms (and so the user) call otherwise.
var rlpFieldNames = strings.NewReplacer("chainID", "chainId", "gasTipCap", "maxPriorityFeePerGas",
	"gasFeeCap", "maxFeePerGas", "authList", "authorizationList", "blobFeeCap", "maxFeePerBlobGas",
	"blobHashes", "blobVersionedHashes")
