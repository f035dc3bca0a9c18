package solc

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Node is one node of solc's compact JSON AST, with the fields the facts
// read. Fields of different node types share a Go field where solc uses
// the same JSON name; Value is raw because it is an expression on a
// variable and a string on a literal.
type Node struct {
	ID       int    `json:"id"`
	NodeType string `json:"nodeType"`
	Src      string `json:"src"`
	Name     string `json:"name"`
	Scope    int    `json:"scope"`

	// SourceUnit, ContractDefinition, StructDefinition
	Nodes                   []*Node         `json:"nodes"`
	Members                 []*Node         `json:"members"`
	ContractKind            string          `json:"contractKind"`
	Abstract                bool            `json:"abstract"`
	FullyImplemented        *bool           `json:"fullyImplemented"`
	LinearizedBaseContracts []int           `json:"linearizedBaseContracts"`
	Documentation           json.RawMessage `json:"documentation"`
	AbsolutePath            string          `json:"absolutePath"`

	// FunctionDefinition, ModifierDefinition, ModifierInvocation
	Kind             string  `json:"kind"`
	Visibility       string  `json:"visibility"`
	StateMutability  string  `json:"stateMutability"`
	Modifiers        []*Node `json:"modifiers"`
	Body             *Node   `json:"body"`
	Params           params  `json:"parameters"`
	FunctionSelector string  `json:"functionSelector"`
	ModifierName     *Node   `json:"modifierName"`

	// VariableDeclaration
	StateVariable bool `json:"stateVariable"`
	// StorageLocation of a variable: "storage" for a local that points
	// into the contract's storage.
	StorageLocation string          `json:"storageLocation"`
	Constant        bool            `json:"constant"`
	Mutability      string          `json:"mutability"`
	Value           json.RawMessage `json:"value"`
	TypeDesc        struct {
		TypeString string `json:"typeString"`
	} `json:"typeDescriptions"`

	// statements and expressions
	Statements            []*Node `json:"statements"`
	Declarations          []*Node `json:"declarations"`
	InitialValue          *Node   `json:"initialValue"`
	Expression            *Node   `json:"expression"`
	Arguments             []*Node `json:"arguments"`
	Options               []*Node `json:"options"`
	Names                 []string
	Condition             *Node   `json:"condition"`
	TrueBody              *Node   `json:"trueBody"`
	FalseBody             *Node   `json:"falseBody"`
	TrueExpression        *Node   `json:"trueExpression"`
	FalseExpression       *Node   `json:"falseExpression"`
	LoopExpression        *Node   `json:"loopExpression"`
	InitExpression        *Node   `json:"initializationExpression"`
	LeftHandSide          *Node   `json:"leftHandSide"`
	RightHandSide         *Node   `json:"rightHandSide"`
	LeftExpression        *Node   `json:"leftExpression"`
	RightExpression       *Node   `json:"rightExpression"`
	SubExpression         *Node   `json:"subExpression"`
	BaseExpression        *Node   `json:"baseExpression"`
	IndexExpression       *Node   `json:"indexExpression"`
	Components            []*Node `json:"components"`
	EventCall             *Node   `json:"eventCall"`
	ErrorCall             *Node   `json:"errorCall"`
	Block                 *Node   `json:"block"`
	Clauses               []*Node `json:"clauses"`
	ExternalCall          *Node   `json:"externalCall"`
	Operator              string  `json:"operator"`
	MemberName            string  `json:"memberName"`
	ReferencedDeclaration int     `json:"referencedDeclaration"`
	HexValue              string  `json:"hexValue"`

	// InlineAssembly and Yul
	AST                *Node `json:"AST"`
	ExternalReferences []struct {
		Declaration int    `json:"declaration"`
		Suffix      string `json:"suffix"` // "slot" for x.slot
	} `json:"externalReferences"`
	FunctionName *Node   `json:"functionName"`
	Cases        []*Node `json:"cases"`
	Pre          *Node   `json:"pre"`
	Post         *Node   `json:"post"`
	Variables    []*Node `json:"variables"`

	val    *Node // Value as a node, set by index
	parsed bool
}

// children are a node's child nodes, in source order where it matters
// little: the facts are sets.
func (n *Node) children() []*Node {
	var out []*Node
	add := func(ns ...*Node) {
		for _, c := range ns {
			if c != nil {
				out = append(out, c)
			}
		}
	}
	add(n.Nodes...)
	add(n.Members...)
	add(n.Modifiers...)
	add(n.Body, n.Params.list, n.ModifierName)
	add(n.Params.items...)
	if v := n.ValueNode(); v != nil {
		add(v)
	}
	add(n.Statements...)
	add(n.Declarations...)
	add(n.InitialValue, n.Expression)
	add(n.Arguments...)
	add(n.Options...)
	add(n.Condition, n.TrueBody, n.FalseBody, n.TrueExpression, n.FalseExpression, n.LoopExpression, n.InitExpression,
		n.LeftHandSide, n.RightHandSide, n.LeftExpression, n.RightExpression, n.SubExpression, n.BaseExpression,
		n.IndexExpression, n.EventCall, n.ErrorCall, n.Block, n.ExternalCall, n.AST, n.FunctionName, n.Pre, n.Post)
	add(n.Components...)
	add(n.Clauses...)
	add(n.Cases...)
	add(n.Variables...)
	return out
}

// ValueNode is a variable's initial value or a Yul assignment's value, as a
// node; nil for a literal's string value.
func (n *Node) ValueNode() *Node {
	if !n.parsed {
		n.parsed = true
		if len(n.Value) > 0 && n.Value[0] == '{' {
			var v Node
			if json.Unmarshal(n.Value, &v) == nil {
				n.val = &v
			}
		}
	}
	return n.val
}

// LiteralValue is a literal's value as written ("0x3C44…", "1000", "abc").
func (n *Node) LiteralValue() string {
	if len(n.Value) == 0 || n.Value[0] != '"' {
		return ""
	}
	var s string
	json.Unmarshal(n.Value, &s)
	return s
}

// IntConst is the value of a compile-time integer expression: solc types
// `1000 ** 2` as "int_const 1000000" (long ones are abbreviated; those are
// returned as solc writes them, which still compares).
func (n *Node) IntConst() (string, bool) {
	t := n.TypeDesc.TypeString
	if v, ok := strings.CutPrefix(t, "int_const "); ok {
		return v, true
	}
	return "", false
}

// Doc is the node's NatSpec text (solc writes a string in old versions and
// a StructuredDocumentation node in new ones).
func (n *Node) Doc() string {
	if len(n.Documentation) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(n.Documentation, &s) == nil {
		return s
	}
	var d struct {
		Text string `json:"text"`
	}
	json.Unmarshal(n.Documentation, &d)
	return d.Text
}

// offset is where the node starts in its source, from src "start:length:file".
func (n *Node) offset() int {
	s, _, _ := strings.Cut(n.Src, ":")
	i, _ := strconv.Atoi(s)
	return i
}

// walk visits n and its descendants depth-first until visit returns false
// for a node (its children are then skipped).
func walk(n *Node, visit func(*Node) bool) {
	if n == nil || !visit(n) {
		return
	}
	for _, c := range n.children() {
		walk(c, visit)
	}
}

// params is solc's "parameters": a ParameterList node on a function, the
// list of declarations on the ParameterList itself.
type params struct {
	list  *Node
	items []*Node
}

func (p *params) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '[' {
		return json.Unmarshal(b, &p.items)
	}
	return json.Unmarshal(b, &p.list)
}
