package guard

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Level orders how bad something is.
type Level int

// Levels, in order. The zero value is OK.
const (
	OK Level = iota
	Info
	Caution
	Danger
	Critical
)

var levelNames = [...]string{"ok", "info", "caution", "danger", "critical"}

func (l Level) String() string {
	if l < OK || l > Critical {
		return fmt.Sprintf("level(%d)", int(l))
	}
	return levelNames[l]
}

// ParseLevel reads a level name as --fail-on takes it.
func ParseLevel(s string) (Level, error) {
	for i, n := range levelNames {
		if strings.EqualFold(s, n) {
			return Level(i), nil
		}
	}
	return OK, fmt.Errorf("guard: unknown level %q (want %s)", s, strings.Join(levelNames[:], ", "))
}

// MarshalJSON writes the name (plain ASCII: no escaping to do). Every
// finding of every batch line has one.
func (l Level) MarshalJSON() ([]byte, error) { return []byte(`"` + l.String() + `"`), nil }

// UnmarshalJSON reads the name.
func (l *Level) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := ParseLevel(s)
	if err != nil {
		return err
	}
	*l = v
	return nil
}
