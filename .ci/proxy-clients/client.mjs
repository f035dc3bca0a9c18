// A wallet library talking to `txguard proxy`, for e2e_proxy_test.go:
// ethers v6's JsonRpcProvider and Wallet, pointed at the proxy, fill in
// the chain id, nonce, fees and gas limit through it (reads, forwarded),
// sign locally and send eth_sendRawTransaction (judged).
//
//   node client.mjs PROXY_URL PRIVATE_KEY_HEX TO VALUE_WEI [DATA_HEX]
//
// Prints one JSON line and exits 0 whatever happened:
//   {"ok":true,"hash":"0x…",…}                the proxy forwarded it and the node took it
//   {"ok":false,"code":4001,"message":"…",…}  refused: code and message are the
//                                             JSON-RPC error's, as the proxy sent it
// ethers wraps a JSON-RPC error it has no name for (4001 on
// eth_sendRawTransaction is one) as UNKNOWN_ERROR, "could not coalesce
// error", with the server's error object as error.error ({code, message});
// some paths put it at error.info.error instead. ethersCode is ethers' own
// code (UNKNOWN_ERROR, CALL_EXCEPTION, …), gasLimit the limit ethers
// estimated (null when it failed before).
import { JsonRpcProvider, Wallet } from "ethers";

const [url, key, to, value, data] = process.argv.slice(2);
if (!url || !key || !to || value === undefined) {
  console.error("usage: node client.mjs PROXY_URL PRIVATE_KEY_HEX TO VALUE_WEI [DATA_HEX]");
  process.exit(2);
}

const provider = new JsonRpcProvider(url);
const wallet = new Wallet(key, provider);
let out;
let gasLimit = null;
try {
  // What sendTransaction would fill in, filled in first so the gas limit
  // ethers chose (eth_estimateGas through the proxy) can be reported.
  const req = await wallet.populateTransaction({ to, value: BigInt(value), data: data || "0x" });
  gasLimit = req.gasLimit?.toString() ?? null;
  const tx = await wallet.sendTransaction(req);
  out = { ok: true, hash: tx.hash, gasLimit };
} catch (e) {
  const rpc = e?.error ?? e?.info?.error ?? null;
  out = {
    ok: false,
    code: rpc?.code ?? null,
    message: rpc?.message ?? e?.shortMessage ?? String(e),
    ethersCode: e?.code ?? null,
    where: e?.error ? "error.error" : e?.info?.error ? "error.info.error" : null,
    method: e?.payload?.method ?? e?.info?.payload?.method ?? null,
    gasLimit,
  };
}
provider.destroy();
console.log(JSON.stringify(out));
process.exit(0);
