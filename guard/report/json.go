package report

import (
	"encoding/json"
	"io"

	"github.com/txguard/txguard/guard"
)

// writeJSON writes the verdict itself as one indented document: its shape
// is guard.Verdict's JSON, documented in SCHEMA.md, and the decoded input
// inside it is exactly what `txguard decode --json` prints.
func writeJSON(w io.Writer, v *guard.Verdict) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// BatchLine writes one verdict as a single line of JSON (JSON Lines), the
// same document as the json format without the indentation, so a batch of
// inputs can be streamed and read line by line.
func BatchLine(w io.Writer, v *guard.Verdict) error {
	if v == nil {
		return errNoVerdict
	}
	return json.NewEncoder(w).Encode(v) // Encode ends the line
}
