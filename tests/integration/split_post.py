"""split_post.py — POST /v1/batch with each part's headers and first bytes sent alone.

usage: /usr/bin/python3 split_post.py URL KEY FILE...

Sends one multipart/form-data body over a raw socket: for each FILE, its part's headers and
the file's first 3 bytes, a pause (so the server reads them alone), then the rest. A server
whose multipart parser is handed a chunk ending just after a part's headers must still read
each part once. Prints the status code, then the response body, one line each.
"""
import os
import socket
import sys
import time
import urllib.parse

url, key, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
u = urllib.parse.urlparse(url)
boundary = b'docflowsplitboundary1234'
pieces = []
for p in paths:
    head = (b'--' + boundary + b'\r\nContent-Disposition: form-data; name="files"; filename="' +
            os.path.basename(p).encode() + b'"\r\nContent-Type: application/octet-stream\r\n\r\n')
    pieces.append((head, open(p, 'rb').read() + b'\r\n'))
tail = b'--' + boundary + b'--\r\n'
length = sum(len(h) + len(d) for h, d in pieces) + len(tail)
s = socket.create_connection((u.hostname, u.port))
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
s.sendall(b'POST /v1/batch HTTP/1.1\r\nHost: ' + u.netloc.encode() + b'\r\nAuthorization: Bearer ' +
          key.encode() + b'\r\nContent-Type: multipart/form-data; boundary=' + boundary +
          b'\r\nContent-Length: ' + str(length).encode() + b'\r\nConnection: close\r\n\r\n')
for head, data in pieces:
    s.sendall(head + data[:3])
    time.sleep(0.2)
    s.sendall(data[3:])
s.sendall(tail)
resp = b''
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    resp += chunk
status, _, rest = resp.partition(b'\r\n')
print(status.split()[1].decode())
print(rest.partition(b'\r\n\r\n')[2].decode())
