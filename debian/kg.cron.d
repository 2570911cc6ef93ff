# Nightly backup of the kindergarten queue (README, Backups), keeping two
# weeks. Uncomment to enable; the directory must be on another disk, and
# copied off the machine.
#15 2 * * * kg KG_CONF=/etc/kg/app.hdf kgctl backup /var/backups/kg && find /var/backups/kg -maxdepth 1 -name 'kg-*' -mtime +14 -exec rm -r {} +
