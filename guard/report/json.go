package report

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/label"
	"github.com/txguard/txguard/guard"
)

// writeJSON writes the verdict itself as one indented document: its shape
// is guard.Verdict's JSON, documented in README.md, and the decoded input
// inside it is exactly what `txguard decode --json` prints.
func writeJSON(w io.Writer, v *guard.Verdict) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(decode.EscapeJSON(b), '\n'))
	return err
}

// BatchLine writes one verdict of a batch as a single line of JSON (JSON
// Lines): the verdict without the decoded input, which a bulk audit does
// not read and which would cost more to print than to judge, plus the
// input's line number and a short subject to match it up with.
func BatchLine(w io.Writer, line int, v *guard.Verdict) error {
	if v == nil {
		return errNoVerdict
	}
	l := batchLine{
		Line: line, Level: v.Level, RulesLevel: v.RulesLevel, Findings: v.Findings,
		RulesetVersion: v.RulesetVersion, Subject: subjectOf(v.Decoded),
	}
	// Into the buffer's own spare room when it is one (a batch's is).
	var b []byte
	if buf, ok := w.(*bytes.Buffer); ok {
		b = buf.AvailableBuffer()
	}
	_, err := w.Write(append(decode.EscapeJSON(appendBatchLine(b, &l)), '\n'))
	return err
}

// BatchError writes the line of a batch input that could not be judged:
// every input line gets exactly one output line, so a reader can match
// them up, and "error" says why (escaped like any other output).
func BatchError(w io.Writer, line int, err error) error {
	return writeLine(w, struct {
		Line  int    `json:"line"`
		Error string `json:"error"`
	}{line, err.Error()})
}

func writeLine(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(append(decode.EscapeJSON(b), '\n'))
	return err
}

type batchLine struct {
	Line           int             `json:"line"`
	Level          guard.Level     `json:"level"`
	RulesLevel     guard.Level     `json:"rulesLevel"`
	Findings       []guard.Finding `json:"findings"`
	RulesetVersion string          `json:"rulesetVersion"`
	Subject        subject         `json:"subject"`
}

// subject names what a verdict is about in a few fields.
type subject struct {
	Kind        string `json:"kind"`
	Method      string `json:"method,omitempty"`
	Hash        string `json:"hash,omitempty"`        // transaction hash, when signed
	SigningHash string `json:"signingHash,omitempty"` // what the key signs
	From        string `json:"from,omitempty"`
	To          string `json:"to,omitempty"`
	Function    string `json:"function,omitempty"` // the top-level call's signature
}

func subjectOf(d *decode.Result) subject {
	if d == nil {
		return subject{}
	}
	s := subject{Kind: string(d.Kind), Method: d.Method}
	switch {
	case d.Tx != nil:
		t := d.Tx
		if t.Hash != nil {
			s.Hash = t.Hash.Hex()
		}
		if t.SigningHash != nil {
			s.SigningHash = t.SigningHash.Hex()
		}
		if t.From != nil {
			s.From = label.Hex(t.From.Address)
		}
		if t.To != nil {
			s.To = label.Hex(t.To.Address)
		}
		if t.Call != nil {
			s.Function = t.Call.Signature
		}
	case d.TypedData != nil:
		s.SigningHash = d.TypedData.SigningHash.Hex()
		s.Function = d.TypedData.PrimaryType
	case d.Message != nil:
		s.SigningHash = d.Message.Hash.Hex()
	case d.Hash != nil:
		s.SigningHash = d.Hash.Hash.Hex()
	}
	if d.Signer != nil {
		s.From = label.Hex(d.Signer.Address)
	}
	return s
}

// HashOf is what identifies a decoded input: its transaction hash when
// signed, else the digest a key signs; "" when neither is known.
func HashOf(d *decode.Result) string {
	s := subjectOf(d)
	if s.Hash != "" {
		return s.Hash
	}
	return s.SigningHash
}
