<?cs # The base after its table (places.c). ?><?cs include:"layout/foot.cs" ?>
