package tx

import (
	"strings"
	"testing"
)

// TestQuantityErrorBounded: a quantity's error quotes at most a short
// prefix of the value, however long the input made it.
func TestQuantityErrorBounded(t *testing.T) {
	long := `"0x` + strings.Repeat("f", 1<<20) + `"`
	_, err := DecodeRequest([]byte(`{"to":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","value":`+long+`}`), Options{})
	if err == nil || len(err.Error()) > 200 || !strings.Contains(err.Error(), `request field "value": "0xfff`) || !strings.Contains(err.Error(), "… does not fit in 256 bits") {
		t.Fatalf("error %d bytes: %.200q", len(err.Error()), err)
	}
}
