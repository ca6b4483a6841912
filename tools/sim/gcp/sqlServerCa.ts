/**
 * A stand-in for the Cloud SQL server CA certificate every instance reports in `serverCaCerts`: a real,
 * parseable X.509 certificate with the subject layout Cloud SQL uses. Only the public certificate is kept;
 * its key was thrown away when it was made (`openssl req -x509`, RSA 2048, 10 years).
 */
export const SQL_SERVER_CA_PEM =
  [
    "-----BEGIN CERTIFICATE-----",
    "MIIDvDCCAqSgAwIBAgIBADANBgkqhkiG9w0BAQsFADB3MS0wKwYDVQQuEyQ2ZjFj",
    "MGIzZS0yYThkLTRiNWUtOWM3YS0wZDNlNWY3YTliMWMxIzAhBgNVBAMMGkdvb2ds",
    "ZSBDbG91ZCBTUUwgU2VydmVyIENBMRQwEgYDVQQKDAtHb29nbGUsIEluYzELMAkG",
    "A1UEBhMCVVMwHhcNMjYxMTIyMTA0NzI0WhcNMzYxMTE5MTA0NzI0WjB3MS0wKwYD",
    "VQQuEyQ2ZjFjMGIzZS0yYThkLTRiNWUtOWM3YS0wZDNlNWY3YTliMWMxIzAhBgNV",
    "BAMMGkdvb2dsZSBDbG91ZCBTUUwgU2VydmVyIENBMRQwEgYDVQQKDAtHb29nbGUs",
    "IEluYzELMAkGA1UEBhMCVVMwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIB",
    "AQCNXPqSF7TqUEn2hi6pIw/IONNpNNZpmDCJ6XoIkgIBpNnTgyiSbq3PB5FkJMXL",
    "DNVI93AvuuHh+8/GZVIkWUWNNpGPZST7UvcF05c8t20qfhpQUkV2bbz/zKtumjOv",
    "+go55GHaDKzNuSBlU7hpEt5LC8l5k/5nkBV4N0c0mzyo7l8Tm3oT2y5GWpuXK3tB",
    "1EB49GNw/ZxlhukOim17MFCDGCOY3s+vd70ZMwPJNzNCT5L3qOcePzWXkFXIvspV",
    "VP2PUBDYFLFiFvHzMiDk3y+QujrNo2sunAtBBGyjtUDPlA/hkWXanIx1AqWjQMd5",
    "KiHuyPo0jvlt4GxmWXJp2rBPAgMBAAGjUzBRMB0GA1UdDgQWBBSy3FOTX7dhLRKI",
    "lzMMq20NCMOCbzAfBgNVHSMEGDAWgBSy3FOTX7dhLRKIlzMMq20NCMOCbzAPBgNV",
    "HRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4IBAQA+XAj6GtHNaYlTspJyzqww",
    "hGNaQR6lA/1mrxBbMxH6FK6hip6bA0pUqXSdCitYn3han+bUh66GCIFPgd9r2fvc",
    "dnUHmYyRNTr2UH/zmzM9zff6gZUHX/kfp2c+7EH7nT3yQOBQbcvKxI8SjDD56gqF",
    "jlE0WAIrY/jgrS75X/GPyrjYXzsr8ngTw1CF2XwpQwElLp54sFmdgGGrLazG7qvH",
    "5HkpoonufsavmuHAlTQKDmsJ7zc2AcluUpPnsr0lzKNYPE0vQAVRSaRKlY/5GbZU",
    "cGDxr71V0xaNChZF3KryTwIJ60p2qwkj9mBN1Rdh9QgaJEJsKg4CYhKgDsIM0Sex",
    "-----END CERTIFICATE-----",
  ].join("\n") + "\n";
