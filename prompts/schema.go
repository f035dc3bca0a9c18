package prompts

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/txguard/txguard/guard"
)

// The answer's bounds. Every string has a maxLength so that constrained
// generation must end; the worst case is still about 6,900 characters,
// more than num_predict allows, so the prompt has to ask for brevity.
const (
	maxSummary     = 600
	maxFindings    = 8
	maxTitle       = 120
	maxExplanation = 400
	maxEvidence    = 200
)

// answer is the model's reply once it has passed validate.
type answer struct {
	Findings []struct {
		Title       string `json:"title"`
		Severity    string `json:"severity"`
		Explanation string `json:"explanation"`
		Evidence    string `json:"evidence"`
	} `json:"findings"`
	Summary            string  `json:"summary"`
	IntentMatch        *string `json:"intent_match"` // nil when no intent was given
	InjectionSuspected bool    `json:"injection_suspected"`
	Level              string  `json:"level"`

	raw string // the text as the model wrote it: what the cache keeps
}

// node is one schema of the small subset the answer needs: it is both
// sent to Ollama as `format` (which turns it into a grammar) and checked
// here, so the two cannot drift apart.
type node struct {
	typ                  string // object, array, string, boolean, null
	enum                 []string
	minLength, maxLength int    // runes
	props                []prop // every one required, no others allowed
	items                *node
	maxItems             int
}

type prop struct {
	name string
	node *node
}

func str(minLength, maxLength int) *node {
	return &node{typ: "string", minLength: minLength, maxLength: maxLength}
}

func oneOf(values ...string) *node { return &node{typ: "string", enum: values} }

var levelNames = func() []string {
	var s []string
	for l := guard.OK; l <= guard.Critical; l++ {
		s = append(s, l.String())
	}
	return s
}()

// answerSchema is the answer's schema. Properties are generated in the
// order listed (llama.cpp keeps the schema's order), so the model writes
// its findings and summary before it commits to a level. intent_match is
// yes/no/unclear when the user stated an intent, else null.
func answerSchema(withIntent bool) *node {
	intent := &node{typ: "null"}
	if withIntent {
		intent = oneOf("yes", "no", "unclear")
	}
	return &node{typ: "object", props: []prop{
		{"findings", &node{typ: "array", maxItems: maxFindings, items: &node{typ: "object", props: []prop{
			{"title", str(1, maxTitle)},
			{"severity", oneOf(levelNames...)},
			{"explanation", str(1, maxExplanation)},
			{"evidence", str(0, maxEvidence)},
		}}}},
		{"summary", str(1, maxSummary)},
		{"intent_match", intent},
		{"injection_suspected", &node{typ: "boolean"}},
		{"level", oneOf(levelNames...)},
	}}
}

// The two formats, as sent; made on first use, since most processes
// (decode, --no-llm, a batch) never ask a model.
var (
	formatWithIntent = sync.OnceValue(func() json.RawMessage { return answerSchema(true).json() })
	formatNoIntent   = sync.OnceValue(func() json.RawMessage { return answerSchema(false).json() })
)

func format(withIntent bool) json.RawMessage {
	if withIntent {
		return formatWithIntent()
	}
	return formatNoIntent()
}

// json writes n as JSON Schema, properties in order.
func (n *node) json() json.RawMessage {
	var b bytes.Buffer
	n.write(&b)
	return b.Bytes()
}

func (n *node) write(b *bytes.Buffer) {
	quote := func(v any) {
		s, _ := json.Marshal(v) // strings and string slices always marshal
		b.Write(s)
	}
	b.WriteString(`{"type":`)
	quote(n.typ)
	switch n.typ {
	case "string":
		if n.enum != nil {
			b.WriteString(`,"enum":`)
			quote(n.enum)
			break
		}
		if n.minLength > 0 {
			fmt.Fprintf(b, `,"minLength":%d`, n.minLength)
		}
		fmt.Fprintf(b, `,"maxLength":%d`, n.maxLength)
	case "array":
		fmt.Fprintf(b, `,"maxItems":%d,"items":`, n.maxItems)
		n.items.write(b)
	case "object":
		b.WriteString(`,"properties":{`)
		names := make([]string, len(n.props))
		for i, p := range n.props {
			if i > 0 {
				b.WriteByte(',')
			}
			quote(p.name)
			b.WriteByte(':')
			p.node.write(b)
			names[i] = p.name
		}
		b.WriteString(`},"required":`)
		quote(names)
		b.WriteString(`,"additionalProperties":false`)
	}
	b.WriteByte('}')
}

// errNotJSON marks an answer that is not JSON at all, as opposed to JSON
// that breaks the schema.
var errNotJSON = errors.New("not JSON")

// parseAnswer validates text against the answer schema and decodes it.
func parseAnswer(text string, withIntent bool) (*answer, error) {
	if strings.TrimSpace(text) == "" {
		return nil, errors.New("the answer is empty")
	}
	dec := json.NewDecoder(strings.NewReader(text))
	if err := answerSchema(withIntent).validate(dec, ""); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: more after the answer object", errNotJSON)
	}
	a := answer{raw: text}
	if err := json.Unmarshal([]byte(text), &a); err != nil {
		return nil, fmt.Errorf("%w: %v", errNotJSON, err) // validate read it: not reached
	}
	return &a, nil
}

// validate reads one value from dec and checks it against n: types,
// enums, lengths in runes, maxItems, required properties, no others, no
// duplicates (encoding/json would keep the last silently).
func (n *node) validate(dec *json.Decoder, path string) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("%w: %v", errNotJSON, err)
	}
	where := path
	if where == "" {
		where = "answer"
	}
	switch n.typ {
	case "object":
		if tok != json.Delim('{') {
			return fmt.Errorf("%s: want an object, got %s", where, describe(tok))
		}
		seen := map[string]bool{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return fmt.Errorf("%w: %v", errNotJSON, err)
			}
			key := kt.(string) // the decoder only returns strings as keys
			i := slices.IndexFunc(n.props, func(p prop) bool { return p.name == key })
			switch {
			case i < 0:
				return fmt.Errorf("%s: extra field %q", where, key)
			case seen[key]:
				return fmt.Errorf("%s: field %q twice", where, key)
			}
			seen[key] = true
			if err := n.props[i].node.validate(dec, join(path, key)); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return fmt.Errorf("%w: %v", errNotJSON, err)
		}
		for _, p := range n.props {
			if !seen[p.name] {
				return fmt.Errorf("%s: missing field %q", where, p.name)
			}
		}
	case "array":
		if tok != json.Delim('[') {
			return fmt.Errorf("%s: want an array, got %s", where, describe(tok))
		}
		i := 0
		for ; dec.More(); i++ {
			if i == n.maxItems {
				return fmt.Errorf("%s: more than %d items", where, n.maxItems)
			}
			if err := n.items.validate(dec, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return fmt.Errorf("%w: %v", errNotJSON, err)
		}
	case "string":
		s, ok := tok.(string)
		if !ok {
			return fmt.Errorf("%s: want a string, got %s", where, describe(tok))
		}
		if n.enum != nil {
			if !slices.Contains(n.enum, s) {
				return fmt.Errorf("%s: %q is not one of %s", where, clip(s, 40), strings.Join(n.enum, ", "))
			}
			break
		}
		switch l := utf8.RuneCountInString(s); {
		case l < n.minLength:
			return fmt.Errorf("%s: empty", where)
		case l > n.maxLength:
			return fmt.Errorf("%s: %d characters, at most %d", where, l, n.maxLength)
		}
	case "boolean":
		if _, ok := tok.(bool); !ok {
			return fmt.Errorf("%s: want true or false, got %s", where, describe(tok))
		}
	case "null":
		if tok != nil {
			return fmt.Errorf("%s: want null (no intent was given), got %s", where, describe(tok))
		}
	}
	return nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func describe(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return "an object"
		}
		return "an array"
	case string:
		return fmt.Sprintf("the string %q", clip(t, 40))
	case nil:
		return "null"
	default:
		return fmt.Sprint(t)
	}
}

// clip shortens s to n runes for an error message, without copying s: it
// may be a server's whole error body.
func clip(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}
