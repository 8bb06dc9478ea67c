/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fixed demonstration identity of the simulation.
 *
 * This key is PUBLIC: it is in the source code, so it protects nothing. It
 * exists only so that the simulated server presents the same certificate in
 * every run, which makes the sizes of its handshake records (Certificate,
 * CertificateVerify/ServerKeyExchange) the same in every run and the golden
 * transcripts byte-identical. RSA rather than ECDSA on purpose: an RSA-2048
 * signature is always 256 bytes, an ECDSA signature's DER encoding varies by
 * a byte or two with the random nonce. Real listeners never use it; they use
 * the certificate made by ms_tls_certificate_ensure() or --cert/--key.
 *
 * Made once with: openssl req -x509 -newkey rsa:2048 -nodes -days 36500
 *   -subj "/O=Mailscope/CN=Mailscope demonstration server"
 *   -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" (and CA:FALSE,
 *   digitalSignature+keyEncipherment, serverAuth). */
#define G_LOG_DOMAIN "ms-tls"
#include "config.h"

#include "ms-tls-certificate.h"

static const char fixed_cert_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIDnTCCAoWgAwIBAgIUGcXapSHv1UCIE+hA+xH94rqTa/cwDQYJKoZIhvcNAQEL\n"
  "BQAwPTESMBAGA1UECgwJTWFpbHNjb3BlMScwJQYDVQQDDB5NYWlsc2NvcGUgZGVt\n"
  "b25zdHJhdGlvbiBzZXJ2ZXIwIBcNMjYxMTIzMTUyMDA3WhgPMjEyNjEwMzAxNTIw\n"
  "MDdaMD0xEjAQBgNVBAoMCU1haWxzY29wZTEnMCUGA1UEAwweTWFpbHNjb3BlIGRl\n"
  "bW9uc3RyYXRpb24gc2VydmVyMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKC\n"
  "AQEAtRTTdWGdNPK7Rh6hi6oN6q0aGCAnWV2yPJ2Q4P5xNdLslmbist/rReZ+Ar0R\n"
  "m3Z5ceAXWsmXtaKhd+P+1QQzf5y81zSwMgjKqx8VW/aU25sHlFmZj+IjEkwzu+Pq\n"
  "icwZjcoNKBd3WwRTedFNp8tnr9PHDNGPq4PXbfIc+OR/Qcw9zCg4oFTv/bwjNIZ9\n"
  "frmaVDKSjElcbKEW2I0spajlBrW2rfGqZla/xDybOCF5vvHgxhPT38HmjVzdQG2j\n"
  "xPW49YFDlIR/wEpZoiK+PNE7Vhtrn7NAIPDYfX9vWktwColNaLUMy9EotDL3IGpX\n"
  "QeadLkSosk7DqWzTTAJjL/VNhwIDAQABo4GSMIGPMB0GA1UdDgQWBBRAdGQ2ry6i\n"
  "Tg/pQ6GqFZp7vs1QcTAfBgNVHSMEGDAWgBRAdGQ2ry6iTg/pQ6GqFZp7vs1QcTAa\n"
  "BgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwDAYDVR0TAQH/BAIwADAOBgNVHQ8B\n"
  "Af8EBAMCBaAwEwYDVR0lBAwwCgYIKwYBBQUHAwEwDQYJKoZIhvcNAQELBQADggEB\n"
  "AEQyoPkFFflv2Lb4S2sJg5jIF+/XyqQKD3UL0imGOO6EekU0dG4uK4X2/Xv4oF75\n"
  "956ZNvRosAgsG3VnPUBGDy9EeteQYIBOgt9wYQjiLTSsh+MKJ/nAP+qpzLTB8Jws\n"
  "mDsWTFXh9c64o+N2ZjtbG0sVUmjI8Pi7aAPgwhYNwh761/EgGpGkuCKLYUkP1lOZ\n"
  "iBXQHHGjIRI/4VXO03woUPbrmk9R5aAdpkkdfKC6WLiQjTPcq4L/8KSbnJH7grjt\n"
  "ImVzwrItJP6UNdme4grbsO3N1N5BO6kOvmm0BhiTMOSJAqRN8KwekRgaauRXe32i\n"
  "qpDrWCGP8zL/b2t2sY+NYnM=\n"
  "-----END CERTIFICATE-----\n";

static const char fixed_key_pem[] =
  "-----BEGIN PRIVATE KEY-----\n"
  "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC1FNN1YZ008rtG\n"
  "HqGLqg3qrRoYICdZXbI8nZDg/nE10uyWZuKy3+tF5n4CvRGbdnlx4BdayZe1oqF3\n"
  "4/7VBDN/nLzXNLAyCMqrHxVb9pTbmweUWZmP4iMSTDO74+qJzBmNyg0oF3dbBFN5\n"
  "0U2ny2ev08cM0Y+rg9dt8hz45H9BzD3MKDigVO/9vCM0hn1+uZpUMpKMSVxsoRbY\n"
  "jSylqOUGtbat8apmVr/EPJs4IXm+8eDGE9PfweaNXN1AbaPE9bj1gUOUhH/ASlmi\n"
  "Ir480TtWG2ufs0Ag8Nh9f29aS3AKiU1otQzL0Si0MvcgaldB5p0uRKiyTsOpbNNM\n"
  "AmMv9U2HAgMBAAECggEAPINqKwbk70XSmZsw5yh8IBma58cO/0lVf/Yz7Ux6br8+\n"
  "+wAE8DvuNtzQ7X9be/V6njiB9X/65+MiTJtvlKYjw5iQbuaXnxDbEZaAn8vmcQD8\n"
  "5nGO5MtwZvP6Meb3gPco7v4/qU82Pr9SWho89j7+Nn7yPPFnLq0PeBl53x8U+9qC\n"
  "F+1eyjyAs23Q5PI+N86IwMA7J0i/8gtQV1szYAevDulN10B9NuLt1Yy5m4LeOyvq\n"
  "P7Xb0+DsOAKNhFv8fHMY8vvdEH90FZW6SA3BEIXSSxkJLvlRX0OeyacdZnnHGSMS\n"
  "qtA9JlcUp2XnH9jT2ingEHRFOT+o0aV2wFXQfTGXmQKBgQDhuWiPj7OCKxFRAaOG\n"
  "3Ik02RPOZHaDdVoZfaGzLIUYvKcf8QnbzWFOz8APLHUoqi30McIIVjQGggCklNyp\n"
  "8Bwiorv4WWgdf9Y2RAbev7o8GRLqt/Eisw9A1UyD7GTvexO3QO5+9ACiD6vk1Rye\n"
  "yhtqJ6WQrGo1EUtmQ9OeL3TpXQKBgQDNXojUrluohpPoLUM4WSvF0WuEX+KRBdO4\n"
  "ZOVXR8DWlI7mxwY3XH11EF6uDsbdiQWlcdj1v847xLn77HUidQpWU0aGyC3OI/VK\n"
  "hDnmi6fWTfp2OLLPYA2ixSFWvSBJJN2b4mEbIeiABWkzNpRiRgx3w8qvjXx0TV1Z\n"
  "v12S/xkQMwKBgQCBMybuRUpyT0RyIYYAQ2slnLsBf+91/027GXXcoLbuGc1vMwB5\n"
  "l20DN1avWLsWs5HqHDD7pJvSvcawbaSAgLcZ/BurY0F84RczqGxmQ0fN7mwtfWvA\n"
  "eM1aRrytJjn/+WqnkbrxX6idGmtBZ9oh6X0XnenejVGdXnDR8DDIclFw4QKBgDFM\n"
  "ZCRJxo7p3094rg40uaE+6ERakBSoBW7aKYOOIehguP0FAaUAes1DJLc7rNk5LzXL\n"
  "4nz7khIe41ZqKKQg3F5klyV7oCM/1n4Qx6VkGOIEzf7bFXFaaWuNTrd3puxoARqO\n"
  "eSj+NsWkhuBYVb5RemS1h04k9J8mgyYsHdZPjkCpAoGBAJ3tydsO8gO5KMcr165O\n"
  "5FL3iP5ilxN0xxKSBwAebZWl//I6fn7NbiIgibgDSEHv9AFezNvB6oEpgP8Ko8bj\n"
  "Oh/xZtpupd3WyCqQUFJTA9CfM6y6AQHovRt0yR6rcBN4OldNzw+X+BzGvCjuPuNQ\n"
  "5h9psBfK8zObIIHXUU47uYc7\n"
  "-----END PRIVATE KEY-----\n";

void
ms_tls_certificate_fixed_pem (const char **cert_pem,
                              const char **key_pem)
{
  if (cert_pem != NULL)
    *cert_pem = fixed_cert_pem;
  if (key_pem != NULL)
    *key_pem = fixed_key_pem;
}
