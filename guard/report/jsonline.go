package report

import (
	"strconv"
	"unicode/utf8"

	"github.com/txguard/txguard/guard"
)

// appendBatchLine appends what json.Marshal makes of batchLine{...}, byte
// for byte, without its reflection: a batch writes a line per input, and
// encoding/json's reflective walk of the line, its findings and subject
// was about a twentieth of judging one (TestBatchLineAsMarshal and
// FuzzBatchLineAsMarshal hold it to json.Marshal's output).
func appendBatchLine(b []byte, l *batchLine) []byte {
	b = append(b, `{"line":`...)
	b = strconv.AppendInt(b, int64(l.Line), 10)
	b = append(b, `,"level":`...)
	b = appendString(b, l.Level.String())
	b = append(b, `,"rulesLevel":`...)
	b = appendString(b, l.RulesLevel.String())
	b = append(b, `,"findings":`...)
	if l.Findings == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range l.Findings {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendFinding(b, &l.Findings[i])
		}
		b = append(b, ']')
	}
	b = append(b, `,"rulesetVersion":`...)
	b = appendString(b, l.RulesetVersion)
	s := &l.Subject
	b = append(b, `,"subject":{"kind":`...)
	b = appendString(b, s.Kind)
	b = appendOmitEmpty(b, `,"method":`, s.Method)
	b = appendOmitEmpty(b, `,"hash":`, s.Hash)
	b = appendOmitEmpty(b, `,"signingHash":`, s.SigningHash)
	b = appendOmitEmpty(b, `,"from":`, s.From)
	b = appendOmitEmpty(b, `,"to":`, s.To)
	b = appendOmitEmpty(b, `,"function":`, s.Function)
	return append(b, "}}"...)
}

// appendFinding is json.Marshal of a guard.Finding.
func appendFinding(b []byte, f *guard.Finding) []byte {
	b = append(b, `{"rule":`...)
	b = appendString(b, f.Rule)
	b = append(b, `,"name":`...)
	b = appendString(b, f.Name)
	b = append(b, `,"severity":`...)
	b = appendString(b, f.Severity.String())
	b = append(b, `,"title":`...)
	b = appendString(b, f.Title)
	b = append(b, `,"explanation":`...)
	b = appendString(b, f.Explanation)
	b = appendOmitEmpty(b, `,"evidence":`, f.Evidence)
	b = appendOmitEmpty(b, `,"advice":`, f.Advice)
	b = append(b, `,"source":`...)
	b = appendString(b, f.Source)
	b = appendOmitEmpty(b, `,"file":`, f.File)
	if f.Line != 0 {
		b = append(b, `,"line":`...)
		b = strconv.AppendInt(b, int64(f.Line), 10)
	}
	return append(b, '}')
}

func appendOmitEmpty(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	return appendString(append(b, key...), s)
}

// appendString is encoding/json's string encoding with its defaults (HTML
// escaping on): quotes, backslashes and control characters escaped, <, >
// and & as \u003c..., invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(append(b, s[start:]...), '"')
}
