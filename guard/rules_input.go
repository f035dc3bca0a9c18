package guard

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/txguard/txguard/decode/calldata"
	"github.com/txguard/txguard/decode/typeddata"
)

// TG7xx: the input addressing the model. Helpers here are prefixed inp so
// that the other rule files, which share the package, cannot collide with
// them.

// inpMaxFindings bounds TG701's findings: one is enough to reject, and a
// request with thousands of such strings must not flood the report.
const inpMaxFindings = 10

// instructionLikeText (TG701) flags text from the input that is written
// for an AI reviewer rather than for the person signing: instructions to
// ignore earlier instructions, a new role, words dictating the verdict,
// chat-template tags that would forge a turn of the conversation. No honest
// dapp has a reason to write any of it, and a prompt that fences the text
// off is the second line of defence, not the first: the rule makes the
// attempt itself a deterministic finding, whatever the model makes of it.
//
// It reads every string the input supplies: typed-data string values,
// member names and the domain's name, version and extra fields; a
// personal message's text, or a sign-in's statement, domain, URI, request
// ID and resources; and the string arguments of every call at any depth.
// Argument names come from an ABI (curated, or the user's own), not from
// the input, and are not read.
func instructionLikeText(c *Context, r *Rule) []Finding {
	var out []Finding
	check := func(path, s string, name bool) {
		if len(out) >= inpMaxFindings {
			return
		}
		what := inpInstructionLike(s)
		if name {
			what = inpInstructionLikeName(s)
		}
		if what == "" {
			return
		}
		out = append(out, r.finding(Danger, "Text aimed at an AI reviewer",
			"This request contains text written to manipulate an AI reviewer: "+what+". No honest dapp writes to an AI: whoever wrote this expects an AI to check the request and wants it to pass. txguard shows such text to its model only as data, and the model cannot lower this verdict.",
			path, "Reject: a request that tries to talk its way past a reviewer is an attack, whatever else it says."))
	}
	if td := c.In.TypedData; td != nil {
		check("typedData.primaryType", td.PrimaryType, true)
		check("typedData.domain.name", td.Domain.Name, false)
		check("typedData.domain.version", td.Domain.Version, false)
		inpFields(td.Domain.Extra, "typedData.domain", check)
		inpFields(td.Message, "typedData.message", check)
	}
	if m := c.In.Message; m != nil && m.Printable {
		if s := m.SIWE; s != nil {
			// The sign-in's fields are all of its text but the fixed
			// grammar, the address and the times.
			check("message.siwe.domain", s.Domain, false)
			check("message.siwe.statement", s.Statement, false)
			check("message.siwe.uri", s.URI, false)
			check("message.siwe.requestId", s.RequestID, false)
			for i, res := range s.Resources {
				check("message.siwe.resources["+strconv.Itoa(i)+"]", res, false)
			}
		} else {
			check("message.text", m.Text, false)
		}
	}
	for _, call := range c.Calls() {
		inpArgs(call, call.Args, "", check)
	}
	return out
}

// inpFields checks the names and string values of typed-data fields at any
// depth.
func inpFields(fs []typeddata.Field, path string, check func(path, s string, name bool)) {
	for _, f := range fs {
		p := xferJoin(path, f.Name)
		if !strings.HasPrefix(f.Name, "[") {
			check(p, f.Name, true)
		}
		if f.Type == "string" {
			check(p, f.Value, false)
		}
		inpFields(f.Fields, p, check)
	}
}

// inpArgs checks the string arguments of a call at any depth: tuple
// members, array elements.
func inpArgs(call *calldata.Call, args []calldata.Arg, path string, check func(path, s string, name bool)) {
	for _, a := range args {
		if a.Type != "string" && len(a.Elems) == 0 {
			continue // the path is built only for what is checked
		}
		p := xferJoin(path, a.Name)
		if a.Type == "string" {
			check(TxPath(call, strings.TrimPrefix(p, ".")), a.Value, false)
		}
		inpArgs(call, a.Elems, p, check)
	}
}

// inpPattern is one kind of instruction-like text.
type inpPattern struct {
	what string // completes "text written to manipulate an AI reviewer: ..."
	re   *regexp.Regexp
}

// inpSep is what separates words: spaces, line breaks, underscores.
const inpSep = `[\s_]+`

func inpRE(s string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(s, " ", inpSep))
}

// inpPhrases are matched against lower-cased text with invisible
// characters removed and full-width letters folded (so "ｉｇｎｏｒｅ" and
// "ig\u200bnore" count). Each needs the words that make it about a
// reviewer's instructions or verdict, not the bare verb: "ignore this
// message if you did not ask for it", "you are now signed in", a token
// named "Ignore" and "mark this device as trusted" stay quiet.
var inpPhrases = sync.OnceValue(func() []inpPattern {
	return []inpPattern{
		// The classic override: ignore/disregard/forget + (filler) + the
		// reviewer's instructions, or + earlier rules/warnings.
		{"it tells the reviewer to ignore its instructions", inpRE(`\b(ignore|disregard|forget|override|bypass) ((all|any|every|of|the|your|my|these|those|previous|prior|above|earlier|preceding|foregoing|former|original|initial|system|safety|security|other) )*(instructions?|prompts?|directions|guidelines|guardrails|programming)\b`)},
		{"it tells the reviewer to ignore its instructions", inpRE(`\b(ignore|disregard|forget|override|bypass) ((all|any|of|the|your|these|those) )*(previous|prior|above|earlier|preceding|foregoing|former|original|initial|system|safety|security) (rules?|warnings?|findings?|checks?|context|messages?|text|content|analysis|results?|constraints?)\b`)},
		{"it tells the reviewer to ignore what came before", inpRE(`\b(ignore|disregard|forget) ((all|any|every|of) )*((the|this) )?(above|everything (above|before)|anything (above|before)|what (was said|you were told))\b`)},
		// A new identity for the reviewer.
		{"it tries to give the reviewer a new role", inpRE(`\byou are (now|no longer) ((a|an|the|in|my|acting as|operating in) )?(\w+ )?(ai|assistant|chatbot|llm|gpt|dan|jailbroken|unrestricted|unfiltered|uncensored|developer mode)\b`)},
		{"it tries to give the reviewer a new role", inpRE(`\b(pretend (to be|you are|that you are)|act as (an? )?(\w+ )?(ai|chatbot|llm|jailbroken|unrestricted|dan)\b)`)},
		{"it tries to switch the reviewer into an unrestricted mode", inpRE(`\b(jailbreak|jailbroken|dan mode|developer mode (enabled|on|activated))\b`)},
		// Speaking as, or to, an AI.
		{"it speaks as an AI", inpRE(`\bas an? ((ai|artificial intelligence)( (language )?model| assistant| reviewer| auditor)?\s*[,:;]|((ai|artificial intelligence) (language )?model|ai (assistant|reviewer|auditor)|(large )?language model|llm)\b)`)},
		{"it addresses an AI directly", inpRE(`\b((note|message|instructions?|attention|reminder) (to|for) ((the|any|all) )?|(dear|hey|hello|hi|attention),? )(ai|llm|gpt|chatgpt|language model|chatbot)( (reviewer|auditor|agent|model|assistant))?s?(\s*([,:;.!]|$)| (reading|reviewing|checking|analy[sz]ing|auditing)\b)`)},
		// The reviewer's prompt.
		{"it refers to the reviewer's prompt", inpRE(`\b(system (prompt|instructions?)|end of (the )?(system )?(prompt|instructions))\b`)},
		{"it announces new instructions", inpRE(`\b(new|updated|revised|real|true|actual|hidden|secret|additional) (system )?instructions?\s*:`)},
		// The verdict, dictated.
		{"it dictates the verdict", inpRE(`\bmark ((this|it|that|these|the) )?(\w+ ){0,2}as (safe|ok|okay|benign|harmless|legit|legitimate|low[\s-]risk|no[\s-]risk|not (malicious|dangerous|suspicious))\b`)},
		{"it dictates the verdict", inpRE(`\b(verdict|risk level|risk rating|risk score|severity)\s*(is|should be|must be|will be|=|:)\s*["']?(ok|okay|safe|benign|none|low|clean|harmless)\b`)},
		{"it dictates the verdict", inpRE(`["']level["']\s*:\s*["'](ok|info|safe)\b`)},
		{"it dictates the verdict", inpRE(`\b(respond|reply|answer|output|return|say|report|classify|rate|label|judge) ((it|this|that|the \w+) )?(with|as|that (it|this) is) ["']?(safe|ok|okay|benign|harmless|low[\s-]risk|no[\s-]risk|legit|legitimate)\b`)},
		{"it tells the reviewer not to warn", inpRE(`\b(do not|don't|dont|never) (flag|warn|alert)\b`)},
	}
})

// inpTags are chat-template control strings and role headers: Ollama
// tokenizes the special ones as real tokens even inside message text, so
// a string holding them can forge a new turn of the conversation. They
// are matched before underscores become spaces.
var inpTags = sync.OnceValue(func() inpPattern {
	return inpPattern{"it holds chat-template control tags that would forge a turn of the conversation", regexp.MustCompile(
		`<\s*[|｜][^<>]{0,64}[|｜]\s*>` + // ChatML, Llama 3, Phi, DeepSeek: <|im_start|>, <|eot_id|>, <|system|>
			`|</?s>|<</?sys>>|\[/?inst\]` + // Llama 2, Mistral
			`|<(start|end)_of_turn>` + // Gemma
			`|\[/?(system_prompt|tool_calls|available_tools|tool_results)\]` + // Mistral
			`|(^|\n)[ \t]*#{2,}[ \t]*(system|instructions?|response|assistant|user|human|input)[ \t]*(:|\n|$)` + // Alpaca-style headers
			`|(^|\n)[ \t]*assistant[ \t]*:`)} // a reply, put in the model's mouth
})

// inpInstructionLike names what s does to a reviewer, or "".
func inpInstructionLike(s string) string {
	if s == "" {
		return ""
	}
	norm := inpNormalize(s)
	if tags := inpTags(); tags.re.MatchString(norm) {
		return tags.what
	}
	return inpMatchPhrases(strings.ReplaceAll(norm, "_", " "))
}

// inpInstructionLikeName is inpInstructionLike for an identifier (a typed
// data member or type name): "ignorePreviousInstructions" reads as words.
func inpInstructionLikeName(s string) string {
	var b strings.Builder
	var prev rune
	for _, r := range s {
		if unicode.IsUpper(r) && (unicode.IsLower(prev) || unicode.IsDigit(prev)) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prev = r
	}
	return inpMatchPhrases(strings.ReplaceAll(inpNormalize(b.String()), "_", " "))
}

func inpMatchPhrases(s string) string {
	for _, p := range inpPhrases() {
		if p.re.MatchString(s) {
			return p.what
		}
	}
	return ""
}

// inpNormalize lower-cases s, drops invisible format characters (zero
// width, bidi) that would split a word for the pattern but not for the
// model, and folds full-width ASCII to ASCII.
func inpNormalize(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.Is(unicode.Cf, r):
			return -1
		case r >= '！' && r <= '～':
			r -= '！' - '!'
		}
		return unicode.ToLower(r)
	}, s)
}
