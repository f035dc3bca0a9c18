package solc

import (
	"strconv"
	"strings"
)

// layoutOf is a contract's storage layout with every type written out
// (a struct as its members, an array as its element), so that two builds
// compare by meaning, not by solc's type ids (which carry AST ids).
func layoutOf(c *Compiled) []Slot {
	if c == nil || c.Layout == nil {
		return nil
	}
	var out []Slot
	for _, s := range c.Layout.Storage {
		slot, _ := strconv.ParseUint(s.Slot, 10, 64)
		t := c.Layout.Types[s.Type]
		n, _ := strconv.ParseUint(t.NumberOfBytes, 10, 64)
		out = append(out, Slot{Label: s.Label, Slot: slot, Offset: s.Offset, Type: typeText(c.Layout, s.Type, 0), Bytes: n})
	}
	return out
}

func typeText(l *StorageLayout, id string, depth int) string {
	t, ok := l.Types[id]
	if !ok || depth > 8 {
		return id
	}
	switch {
	case len(t.Members) > 0:
		var ms []string
		for _, m := range t.Members {
			ms = append(ms, m.Label+":"+typeText(l, m.Type, depth+1)+"@"+m.Slot+"+"+strconv.Itoa(m.Offset))
		}
		return "struct{" + strings.Join(ms, ";") + "}"
	case t.Encoding == "mapping":
		return "mapping(" + typeText(l, t.Key, depth+1) + "=>" + typeText(l, t.Value, depth+1) + ")"
	}
	// Contract and enum labels name the type; the layout cares only that
	// it is an address or a small integer.
	switch {
	case strings.HasPrefix(t.Label, "contract "):
		return "address"
	case strings.HasPrefix(t.Label, "enum "):
		return "enum" + t.NumberOfBytes
	}
	return t.Label
}
