"""long_pdf.py — a PDF of many scanned pages, for tests that need a worker busy for long.

usage: /usr/bin/python3 long_pdf.py JPEG OUT PAGES

Every page draws the same baseline JPEG (embedded once, DCTDecode: the file's own bytes) over
an A4 page, so each page needs a full OCR reading: PAGES pages keep one worker busy for PAGES
readings in one file, where a batch of short files frees it between files (and the server lends
a free worker to a waiting synchronous extract at once).
"""
import sys


def jpeg_size(data):
    """(width, height, components) from the first SOF0/1/2 segment."""
    i = 2
    while data[i] == 0xFF and data[i + 1] not in (0xC0, 0xC1, 0xC2):
        i += 2 + int.from_bytes(data[i + 2:i + 4], 'big')
    if data[i] != 0xFF:
        sys.exit('long_pdf.py: no frame header in the JPEG')
    h = int.from_bytes(data[i + 5:i + 7], 'big')
    w = int.from_bytes(data[i + 7:i + 9], 'big')
    return w, h, data[i + 9]


def main(jpg, out, pages):
    data = open(jpg, 'rb').read()
    w, h, comps = jpeg_size(data)
    space = {1: b'/DeviceGray', 3: b'/DeviceRGB'}[comps]
    draw = b'q 595 0 0 842 0 0 cm /Im Do Q'
    objs = [b'<< /Type /Catalog /Pages 2 0 R >>', None,
            b'<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s'
            b' /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n'
            % (w, h, space, len(data)) + data + b'\nendstream',
            b'<< /Length %d >>\nstream\n%s\nendstream' % (len(draw), draw)]
    kids = []
    for _ in range(pages):
        objs.append(b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R'
                    b' /Resources << /XObject << /Im 3 0 R >> >> >>')
        kids.append(b'%d 0 R' % len(objs))
    objs[1] = b'<< /Type /Pages /Count %d /Kids [%s] >>' % (pages, b' '.join(kids))
    pdf, offsets = bytearray(b'%PDF-1.4\n'), []
    for n, body in enumerate(objs, 1):
        offsets.append(len(pdf))
        pdf += b'%d 0 obj\n' % n + body + b'\nendobj\n'
    xref = len(pdf)
    pdf += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objs) + 1)
    pdf += b''.join(b'%010d 00000 n \n' % o for o in offsets)
    pdf += b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (len(objs) + 1, xref)
    with open(out, 'wb') as f:
        f.write(pdf)


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
