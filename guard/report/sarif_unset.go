package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// dropUnset removes what go-sarif writes for every field it does not omit
// when empty: -1, SARIF's "not set" for an index, id, offset or rank, and
// empty arrays. The schema gives each of them that value as its default,
// so leaving them out says the same thing; written out, a -1 reads as a
// real position to anyone but a SARIF validator, and the noise buries
// the findings. The run's newlineSequences is the library's copy of its
// default too.
//
// Two things stay whatever they hold: "results", where an empty array
// means "analysed, found nothing" and its absence "did not run", and
// property bags, which are txguard's own data (a coverage list may be
// empty, a balance change may be -1). Members keep their order, so the
// output still reads top down: $schema, version, runs.
func dropUnset(in []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(in))
	dec.UseNumber() // numbers are copied as written, never through float64
	var compact bytes.Buffer
	if err := copyJSON(dec, &compact, false); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the SARIF log")
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// copyJSON copies one JSON value from dec to w, dropping unset members of
// every object outside a property bag.
func copyJSON(dec *json.Decoder, w *bytes.Buffer, inBag bool) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			return copyObject(dec, w, inBag)
		case '[':
			return copyArray(dec, w, inBag)
		}
		return fmt.Errorf("unexpected %v", t)
	case json.Number:
		w.WriteString(t.String())
	case string, bool, nil:
		b, err := json.Marshal(t) // as the library escaped it: HTML-safe
		if err != nil {
			return err
		}
		w.Write(b)
	}
	return nil
}

func copyObject(dec *json.Decoder, w *bytes.Buffer, inBag bool) error {
	w.WriteByte('{')
	first := true
	seen := map[string]bool{} // a repeated key would make dropping one of them change the value
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key := tok.(string) // the decoder only yields strings as keys
		if seen[key] {
			return fmt.Errorf("key %q repeated", key)
		}
		seen[key] = true
		var val bytes.Buffer
		if err := copyJSON(dec, &val, inBag || key == "properties"); err != nil {
			return err
		}
		if !inBag && unset(key, val.Bytes()) {
			continue
		}
		if !first {
			w.WriteByte(',')
		}
		first = false
		k, _ := json.Marshal(key)
		w.Write(k)
		w.WriteByte(':')
		w.Write(val.Bytes())
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return err
	}
	w.WriteByte('}')
	return nil
}

func copyArray(dec *json.Decoder, w *bytes.Buffer, inBag bool) error {
	w.WriteByte('[')
	for i := 0; dec.More(); i++ {
		if i > 0 {
			w.WriteByte(',')
		}
		if err := copyJSON(dec, w, inBag); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing bracket
		return err
	}
	w.WriteByte(']')
	return nil
}

// unset reports whether a member of a SARIF object holds its schema
// default as go-sarif fills it in, given its compact JSON value.
func unset(key string, val []byte) bool {
	switch v := string(val); {
	case v == "-1":
		return true
	case v == "[]":
		return key != "results"
	case key == "newlineSequences":
		return v == `["\r\n","\n"]`
	}
	return false
}
