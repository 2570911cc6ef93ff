# Nightly backup of the kindergarten queue (README, Backups), keeping two
# weeks. Uncomment to enable; the directory must be on another disk, and
# copied off the machine.
#15 2 * * * kg KG_CONF=/etc/kg/app.hdf kgctl backup /var/backups/kg && find /var/backups/kg -maxdepth 1 -name 'kg-*' -mtime +14 -exec rm -r {} +
# The revocation lists of НУЦ РК, hourly (README, "НУЦ РК's certificates and
# revocation lists"): fill in the two CRL addresses and uncomment.
#17 * * * * kg /usr/share/kg/conf/crl-refresh.sh /etc/kg/nca-ca.pem /etc/kg/nca-crl.pem URL_OF_ROOT_CRL URL_OF_NCA_RSA_CRL
