package calldata

import (
	"fmt"
	"os"
	"testing"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
)

func TestZZDump(t *testing.T) {
	if os.Getenv("DUMP") == "" {
		t.Skip()
	}
	fmt.Printf("%x\n", crypto.Keccak256([]byte("f(uint256[][][])"))[:4])
	os.MkdirAll("/tmp/hostile", 0o755)
	w := func(name, to string, data []byte) {
		fmt.Println(name, len(data))
		os.WriteFile("/tmp/hostile/"+name+".json", []byte(fmt.Sprintf(`{"from":"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266","to":%q,"data":%q,"chainId":"0x1"}`, to, hexutil.Encode(data))), 0o644)
	}
	w("multicall", "0x68b3465833fb72A70ecDF485E0e4C7bD8665Fc45", aliasedMulticall(8, 4))
	w("multicall5", "0x68b3465833fb72A70ecDF485E0e4C7bD8665Fc45", aliasedMulticall(8, 5))
	w("aggregate3", "0xcA11bde05977b3631167028862bE2a173976CA11", aliasedAggregate3(8, 4))
	w("router", "0x66a9893cC07D91D95644AEDD05D03f95e1dBA8Af", aliasedRouter(8, 4))
	w("erc7821", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", aliasedERC7821(6, 4))
	w("nested", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", aliasedNestedArrays(300))
}
