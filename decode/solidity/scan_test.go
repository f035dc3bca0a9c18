package solidity

import (
	"fmt"
	"strings"
	"testing"
)

func renderTokens(toks []token) string {
	var out []string
	for _, t := range toks {
		kind := map[tokKind]string{tokIdent: "id", tokNumber: "num", tokString: "str", tokPunct: "p"}[t.kind]
		out = append(out, fmt.Sprintf("%s:%s@%d", kind, t.text, t.line))
	}
	return strings.Join(out, " ")
}

func TestLex(t *testing.T) {
	tests := []struct {
		name, have, want string
	}{
		{"line comment with brace", "a // { unbalanced\nb", "id:a@1 id:b@2"},
		{"block comment with braces", "a /* } { \n */ b", "id:a@1 id:b@2"},
		{"natspec", "/// @dev uses delegatecall {\n/** tx.origin\n * }\n */\nc", "id:c@5"},
		{"string with brace and escaped quote", `x = "a{\"}";`, `id:x@1 p:=@1 str:"a{\"}"@1 p:;@1`},
		{"single-quoted", `'b\'}' ;`, `str:'b\'}'@1 p:;@1`},
		{"unicode and hex literals", `unicode"☺ {" hex"00ff" hex'ab'`, `str:unicode"☺ {"@1 str:hex"00ff"@1 str:hex'ab'@1`},
		{"hex as a name", "hex + unicode", "id:hex@1 p:+@1 id:unicode@1"},
		{"comment markers in strings", `"// not a comment" "/* nor this"`, `str:"// not a comment"@1 str:"/* nor this"@1`},
		{"arrow", "mapping(address=>uint)", "id:mapping@1 p:(@1 id:address@1 p:=>@1 id:uint@1 p:)@1"},
		{"numbers", "1_000 0xff 1.5 2e18 .5 x.length", "num:1_000@1 num:0xff@1 num:1.5@1 num:2e18@1 num:.5@1 id:x@1 p:.@1 id:length@1"},
		{"member after number", "a[0].b", "id:a@1 p:[@1 num:0@1 p:]@1 p:.@1 id:b@1"},
		{"dollar identifiers", "$x _y", "id:$x@1 id:_y@1"},
		{"non-ASCII outside strings", "a é b", "id:a@1 p:é@1 id:b@1"},
		{"crlf", "a\r\nb", "id:a@1 id:b@2"},
		{"escaped newline in string", "\"a\\\nb\" c", "str:\"a\\\nb\"@1 id:c@2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			toks, err := lex(tt.have, false)
			if err != nil {
				t.Fatal(err)
			}
			if got := renderTokens(toks); got != tt.want {
				t.Errorf("\ngot:  %s\nwant: %s", got, tt.want)
			}
		})
	}
}

func TestLexErrors(t *testing.T) {
	tests := []struct{ have, want string }{
		{"a /* never closed", "solidity: line 1: unterminated comment"},
		{"a\n\"open", "solidity: line 2: unterminated string"},
		{"'ends at newline\n'", "solidity: line 1: unterminated string"},
		{`hex"00`, "solidity: line 1: unterminated string"},
	}
	for _, tt := range tests {
		_, err := lex(tt.have, false)
		if err == nil || err.Error() != tt.want {
			t.Errorf("lex(%q) = %v, want %s", tt.have, err, tt.want)
		}
		// Tolerant mode (diff hunks) never fails.
		if _, err := lex(tt.have, true); err != nil {
			t.Errorf("tolerant lex(%q) = %v", tt.have, err)
		}
	}
}

func TestScanErrors(t *testing.T) {
	tests := []struct{ have, want string }{
		{"contract C {", `solidity: line 1: unbalanced "{"`},
		{"contract C { }\n}", `solidity: line 2: unbalanced "}"`},
		{"contract C { function f() { (] } }", `solidity: line 1: unbalanced "]"`},
		{"/* x", "solidity: line 1: unterminated comment"},
	}
	for _, tt := range tests {
		_, err := Scan([]byte(tt.have))
		if err == nil || err.Error() != tt.want {
			t.Errorf("Scan(%q) = %v, want %s", tt.have, err, tt.want)
		}
	}
}
