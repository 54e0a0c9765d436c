# Guest plan step: AF_ALG AEAD.  The kernel copies the associated data from
# the sent buffer into the receive buffer (memcpy_sglist()), whose pages are
# the reader's user pages: out of the direct map with xpfo=on.  Encrypts
# 64 KiB with gcm(aes), checks the associated data came back unchanged, and
# decrypts the result back.  Sourced by tests/guest/check-*.sh plans.
/usr/bin/python3 - >"$XK_LOGS/af-alg.log" 2>&1 <<'PY'
import os, socket, sys
key, iv, assoc, text = os.urandom(16), os.urandom(12), os.urandom(32), os.urandom(65536)
alg = socket.socket(socket.AF_ALG, socket.SOCK_SEQPACKET, 0)
alg.bind(("aead", "gcm(aes)"))
alg.setsockopt(socket.SOL_ALG, socket.ALG_SET_KEY, key)
alg.setsockopt(socket.SOL_ALG, socket.ALG_SET_AEAD_AUTHSIZE, None, 16)

def crypt(op, data, out_len):
    s, _ = alg.accept()
    s.sendmsg_afalg([assoc + data], op=op, iv=iv, assoclen=len(assoc))
    out = bytearray(out_len)
    n = s.recv_into(out)
    s.close()
    if n != out_len:
        sys.exit("read %d bytes, expected %d" % (n, out_len))
    if out[:len(assoc)] != assoc:
        sys.exit("the associated data changed on its way through the kernel")
    return bytes(out[len(assoc):])

sealed = crypt(socket.ALG_OP_ENCRYPT, text, len(assoc) + len(text) + 16)
if crypt(socket.ALG_OP_DECRYPT, sealed, len(assoc) + len(text)) != text:
    sys.exit("decrypting gave other data than was encrypted")
print("gcm(aes): 64 KiB encrypted and decrypted")
PY
tap $? "AF_ALG AEAD gcm(aes): associated data copied into user pages, round trip intact" \
	"$(tail -1 "$XK_LOGS/af-alg.log")"
