package decode

import (
	"bytes"
	"fmt"
	"regexp"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/txguard/txguard/decode/evm"
	"github.com/txguard/txguard/decode/selector"
	"github.com/txguard/txguard/decode/tx"
)

// detect reads in as what it looks like: JSON is a request, envelope or
// typed data; hex a transaction, hash or bytecode. Any other text is
// refused, with what it seems to be: a URL, a diff or a Solidity file read
// as a "message to sign" would pass as harmless, and that is not what its
// sender meant to check. A message to sign comes inside its personal_sign
// request, or with --kind message.
func (d *decoder) detect(in []byte) (*Result, error) {
	switch {
	case in[0] == '{' || in[0] == '"' || in[0] == '[':
		return d.json(in)
	case isHexText(in):
		return d.hex(in)
	}
	return nil, fmt.Errorf("decode: %s", lookalike(in))
}

// hex decodes hex text of unknown kind: a transaction, or bytecode. A hash,
// an address and bare calldata are refused with what to do instead: none
// is something to sign as it stands.
func (d *decoder) hex(in []byte) (*Result, error) {
	b, err := parseHex(in)
	if err != nil {
		return nil, err
	}
	t, txErr := tx.DecodeRaw(b, d.txo)
	switch {
	case txErr == nil:
		return &Result{Kind: KindTx, Tx: t}, nil
	case evm.LooksLikeCode(b):
		return d.as(KindBytecode, in)
	case len(b) == 32:
		return nil, fmt.Errorf("decode: this is a 32-byte hash, not a transaction: txguard is offline and cannot look it up (`cast tx --raw HASH` gives the transaction); if a dapp asks you to sign it blind, pass its eth_sign request or add --kind hash")
	case len(b) == 20:
		return nil, fmt.Errorf("decode: this is an address, not a transaction or bytecode: `cast code ADDRESS` gives its code for txguard inspect")
	case looksLikeCalldata(b):
		return nil, fmt.Errorf("decode: this is calldata without a transaction (function %s): txguard decode --kind calldata shows it; check the transaction or request that carries it", selector.Named(hexutil.Encode(b[:4])))
	}
	return nil, txErr
}

// notCode refuses what people paste as bytecode by mistake: an address (20
// bytes) or a transaction, which would be analysed as nonsense code and
// could pass. Code that starts like compiled code is code whatever its size.
func notCode(b []byte, o tx.Options) error {
	if evm.LooksLikeCode(b) {
		return nil
	}
	switch {
	case len(b) == 20:
		return fmt.Errorf("decode: this is an address, not bytecode: `cast code ADDRESS` gives its code")
	case len(b) == 32:
		return fmt.Errorf("decode: this is a 32-byte value (a hash?), not bytecode")
	case looksLikeCalldata(b) && len(b)%32 == 4:
		return fmt.Errorf("decode: this is calldata (function %s), not bytecode: txguard decode --kind calldata shows it", selector.Named(hexutil.Encode(b[:4])))
	}
	if _, err := tx.DecodeRaw(b, o); err == nil {
		return fmt.Errorf("decode: this is a transaction, not bytecode: judge it with txguard check")
	}
	return nil
}

// looksLikeCalldata: a known selector, or a selector and whole ABI words.
func looksLikeCalldata(b []byte) bool {
	if len(b) < 4 {
		return false
	}
	if _, known := selector.Lookup([4]byte(b)); known {
		return true
	}
	return len(b) > 4 && (len(b)-4)%32 == 0
}

// lookalikes are compiled on first use, not at start-up: only input that
// is neither JSON nor hex reaches them, and every run would otherwise pay
// for their compilation (issue 17, start-up).
var lookalikes = sync.OnceValue(func() struct{ url, ens, diff, solidity, siwe *regexp.Regexp } {
	return struct{ url, ens, diff, solidity, siwe *regexp.Regexp }{
		url:      regexp.MustCompile(`^(?i)[a-z][a-z0-9+.-]*://\S`),
		ens:      regexp.MustCompile(`^(?i)[a-z0-9-]+(\.[a-z0-9-]+)*\.eth$`),
		diff:     regexp.MustCompile(`(?m)^(diff --git |--- \S|\+\+\+ \S|@@ -\d)`),
		solidity: regexp.MustCompile(`(?m)^\s*(pragma solidity|// SPDX-License-Identifier|(abstract\s+)?contract\s+\w+|library\s+\w+|interface\s+\w+|import\s+["{])`),
		siwe:     regexp.MustCompile(`wants you to sign in with your Ethereum account`),
	}
})

// lookalike says what text that is not a signing request looks like, and
// what to do with it, in one line.
func lookalike(in []byte) string {
	const asMessage = "if a dapp asks you to sign this text, pass its personal_sign request or add --kind message"
	re := lookalikes()
	switch {
	case re.url.Match(in) && !bytes.ContainsAny(in, " \n"):
		return "this is a URL, not a signing request: txguard is offline and reads no web pages; paste what the wallet asks you to sign"
	case re.ens.Match(in):
		return "this is an ENS name, not a signing request: txguard is offline and resolves no names"
	case re.diff.Match(in):
		return "this is a unified diff, not a signing request: use txguard diff"
	case re.solidity.Match(in):
		return "this is Solidity source, not a signing request: use txguard diff for changes, txguard inspect for compiled bytecode"
	case re.siwe.Match(in):
		return "this is a Sign-In with Ethereum message: pass its personal_sign request, or add --kind message"
	}
	return "this is text, not a transaction or signing request; " + asMessage
}

// TrimInvisible cuts whitespace and Unicode format characters (a BOM,
// U+200B, U+2060, bidi marks) from both ends of in, as detection does;
// callers that split input into lines use it to agree on what is blank.
// Invalid UTF-8 is left for the reader that comes next to report.
func TrimInvisible(in []byte) []byte {
	for len(in) > 0 {
		r, n := utf8.DecodeRune(in)
		if !invisible(r, n) {
			break
		}
		in = in[n:]
	}
	for len(in) > 0 {
		r, n := utf8.DecodeLastRune(in)
		if !invisible(r, n) {
			break
		}
		in = in[:len(in)-n]
	}
	return in
}

func invisible(r rune, n int) bool {
	if r == utf8.RuneError && n <= 1 {
		return false
	}
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Zs, r) ||
		r == '\u180e' || r == '\u2800' || r == '\u3164' || r == '\uffa0' || r == '\u115f' || r == '\u1160' // blank without being space
}
