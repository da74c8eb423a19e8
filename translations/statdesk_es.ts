<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="es_ES">
<context>
    <name>QObject</name>
    <message>
        <location filename="../app/ImportWizard.cpp" line="37" />
        <source>Importing %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="34" />
        <source>Creating %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="64" />
        <location filename="../core/project/ProjectLayers.cpp" line="43" />
        <source>Crime incidents</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="65" />
        <location filename="../core/project/ProjectLayers.cpp" line="49" />
        <source>311 service requests</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="66" />
        <source>Vacant parcels / Land Bank</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="67" />
        <location filename="../core/briefing/BriefingExporter.cpp" line="337" />
        <location filename="../core/briefing/BriefingExporter.cpp" line="345" />
        <location filename="../core/project/ProjectLayers.cpp" line="47" />
        <source>Dangerous buildings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="68" />
        <location filename="../core/ingest/PolygonImport.cpp" line="141" />
        <source>Neighborhood polygons</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="69" />
        <source>Boundary polygons</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="70" />
        <source>Copy as it is (other layers)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="71" />
        <source>Leave out</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingCharts.cpp" line="102" />
        <source>0 to %1 offenses per hour slot</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingData.cpp" line="39" />
        <location filename="../core/briefing/BriefingData.cpp" line="73" />
        <location filename="../core/briefing/BriefingData.cpp" line="251" />
        <location filename="../core/briefing/BriefingLayers.cpp" line="90" />
        <source>Briefing query failed: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingData.cpp" line="130" />
        <source>n/a (none before)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="73" />
        <source>fewer than %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="80" />
        <source>change not shown for small counts</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="234" />
        <source>The period starts (%1) after it ends (%2).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="236" />
        <source>The suppression threshold must be at least 1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="238" />
        <location filename="../core/demo/DemoCity.cpp" line="2070" />
        <source>No output file given.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="241" />
        <location filename="../core/demo/DemoCity.cpp" line="2080" />
        <source>The folder of %1 does not exist.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="243" />
        <source>Logo %1 not found.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="326" />
        <source>period</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="333" />
        <source>Violent offenses per %1 m hexagon</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="338" />
        <location filename="../core/briefing/BriefingExporter.cpp" line="346" />
        <location filename="../core/project/ProjectLayers.cpp" line="48" />
        <source>Vacant parcels</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="343" />
        <source>Violent offenses (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="344" />
        <source>311 blight requests (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="348" />
        <location filename="../core/project/ProjectLayers.cpp" line="52" />
        <location filename="../core/project/ProjectLayers.cpp" line="53" />
        <source>Neighborhoods</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="349" />
        <location filename="../core/project/ProjectLayers.cpp" line="54" />
        <source>Boundaries</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="356" />
        <location filename="../core/briefing/BriefingExporter.cpp" line="640" />
        <location filename="../core/briefing/BriefingExporter.cpp" line="700" />
        <source>Cancelled.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="367" />
        <source>The project has no neighborhoods layer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="371" />
        <source>No grant neighborhoods in this project: mark them with is_grant = 1 in the neighborhoods layer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="388" />
        <source>Before / after (%1 days each)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="389" />
        <source>Violent offenses: %1 → %2 (%3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="390" />
        <source>Blight 311 requests: %1 → %2 (%3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="391" />
        <source>Open blight requests now: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="392" />
        <location filename="../core/briefing/BriefingExporter.cpp" line="532" />
        <source>Vacant parcels: %1 · Dangerous buildings: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="394" />
        <source>Area: %1 km²</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="397" />
        <source>Grant budget and milestones: no grant ledger records for this neighborhood in the project.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="414" />
        <source>no clusters in this project: run clustering first</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="425" />
        <source>Cannot read the layout template %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="428" />
        <source>The layout template %1 is not valid XML.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="436" />
        <source>QGIS could not load the layout template %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="440" />
        <source>The layout template %1 has no map item with id main_map.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="513" />
        <source>City</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="522" />
        <source>%1: citywide briefing</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="523" />
        <source>%1: grant neighborhoods</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="524" />
        <source>%1: Task Force clusters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="528" />
        <source>Key figures, %1 (%2 days)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="529" />
        <source>Violent offenses: %1 (previous period %2, %3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="530" />
        <source>Shootings: %1 (previous period %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="531" />
        <source>Open blight 311 requests: %1 (new in period: %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="535" />
        <source>crime</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="536" />
        <source>311</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="537" />
        <source>vacant parcels</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="538" />
        <source>dangerous buildings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="541" />
        <source>%1 to %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="554" />
        <source>RTM high-risk and priority places: no RTM run saved in this project.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="555" />
        <source>Task Force clusters: no clustering run saved in this project.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="560" />
        <source>PUBLIC VERSION. Violent offenses are shown only as counts per %1 m hexagon; hexagons with fewer than %2 offenses are not shown and counts below %2 are not printed. No incident locations, addresses or person-level information are included.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="564" />
        <source> In this period no hexagon reached %1 offenses, so none is drawn.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="568" />
        <source>RESTRICTED: shows individual incident locations. For law enforcement and Task Force use only; do not distribute.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="579" />
        <source>Public version</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="579" />
        <source>Restricted</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="580" />
        <source>PUBLIC VERSION</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="580" />
        <source>RESTRICTED
law enforcement use only</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="584" />
        <source>no records</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="597" />
        <source>Cannot create a temporary folder for the charts.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="605" />
        <source>Violent offenses by hour and day, %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="612" />
        <source>Violent offenses per month (period highlighted)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="668" />
        <source>Atlas filter: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="675" />
        <source>The atlas has no pages.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="694" />
        <location filename="../core/briefing/BriefingExporter.cpp" line="701" />
        <source>cannot write %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="701" />
        <source>The PDF export failed: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingExporter.cpp" line="707" />
        <source>Cannot write %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingLayers.cpp" line="111" />
        <source>Violent offenses per hexagon</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingLayers.cpp" line="115" />
        <source>Cannot create the hexagon layer for CRS %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/briefing/BriefingLayers.cpp" line="151" />
        <source>%1 or more</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/demo/DemoCity.cpp" line="999" />
        <source>Demo city: the neighborhood diagram is incomplete.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/demo/DemoCity.cpp" line="1729" />
        <source>Cannot start writing the demo city: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/demo/DemoCity.cpp" line="1733" />
        <location filename="../core/ingest/OgrSource.cpp" line="97" />
        <location filename="../core/ingest/OgrSource.cpp" line="157" />
        <source>Cannot write %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/demo/DemoCity.cpp" line="2037" />
        <source>Cannot write the demo metadata: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/demo/DemoCity.cpp" line="2045" />
        <source>Cannot update the layer list of %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/demo/DemoCity.cpp" line="2054" />
        <source>Cannot save the demo city: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/demo/DemoCity.cpp" line="2075" />
        <source>%1 is a folder.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/demo/DemoCity.cpp" line="2097" />
        <source>Demo generation was cancelled; nothing was written.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/demo/DemoCity.cpp" line="2105" />
        <source>Demo generation failed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/demo/DemoCity.cpp" line="2155" />
        <source>Cannot prepare the map of %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/demo/DemoCity.cpp" line="2183" />
        <location filename="../core/project/ProjectFile.cpp" line="320" />
        <location filename="../core/project/ProjectFile.cpp" line="713" />
        <source>Cannot write %1 (%2).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantAnalysis.cpp" line="126" />
        <source>Blight 311 requests</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantAnalysis.cpp" line="127" />
        <source>Violent offenses</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantAnalysis.cpp" line="154" />
        <source>Neighborhood "%1" is not in the neighborhoods layer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantAnalysis.cpp" line="161" />
        <source>Neighborhood "%1" has no polygon</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantAnalysis.cpp" line="268" />
        <source>95% interval %1 to %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantAnalysis.cpp" line="270" />
        <source>Too few events to say anything: %1 went from %2 to %3 (the comparison neighborhoods from %4 to %5); the change relative to them could be anything in the %6.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantAnalysis.cpp" line="280" />
        <source>%1 fell %2 relative to comparison neighborhoods of similar baseline (%3, %4): %5 after the start where %6 were expected from the comparison trend.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantAnalysis.cpp" line="286" />
        <source>%1 rose %2 relative to comparison neighborhoods of similar baseline (%3, %4): %5 after the start where %6 were expected from the comparison trend.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantAnalysis.cpp" line="291" />
        <source>No change that the data can distinguish from chance: %1 changed %2 relative to comparison neighborhoods (%3, %4); the data are consistent with no effect.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantAnalysis.cpp" line="307" />
        <source>The windows need at least one month each and at least one comparison neighborhood</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantAnalysis.cpp" line="315" />
        <source>The project has no neighborhood polygons</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantAnalysis.cpp" line="349" />
        <source>No grant neighborhood has a start date: give the grants a start date or choose a default start</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantAnalysis.cpp" line="358" />
        <source>Cancelled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantAnalysis.cpp" line="368" />
        <source>The project has no %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantAnalysis.cpp" line="410" />
        <source>No data after the start (%1) yet: the data end in %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantAnalysis.cpp" line="416" />
        <source>No comparison neighborhood is available.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantAnalysis.cpp" line="423" />
        <source> (After window shortened to %1 month(s): the data end in %2.)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantAnalysis.cpp" line="437" />
        <source>Windows are whole calendar months; the month a grant starts counts as 'after'.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantAnalysis.cpp" line="438" />
        <source>Rate ratio = (after/before in the grant neighborhood) / (after/before in its comparison neighborhoods); 95% interval from the Poisson variance of the log ratio. WDD = change in the grant neighborhood minus the average change of its comparisons, with Poisson standard error.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantAnalysis.cpp" line="441" />
        <source>Comparison neighborhoods can serve several grant neighborhoods, so the pooled interval is somewhat too narrow.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantAnalysis.cpp" line="442" />
        <source>This is an observational comparison: other changes at the same time can look like an effect.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantCsv.cpp" line="17" />
        <source>This is not a text file (it contains NUL bytes)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantCsv.cpp" line="104" />
        <source>A quote opened on line %1 is never closed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1027" />
        <source>audit entries %1 to %2 are missing (deleted from the log)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1032" />
        <source>audit entry %1 does not follow the previous entry's hash (chain broken)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1036" />
        <source>audit entry %1 was altered (its hash does not match its content)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1044" />
        <source>the log ends at entry %1 but the project recorded %2 as its last entry (entries removed from the end?)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1060" />
        <source>%1 row %2 is not in the audit log (added outside the ledger)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1062" />
        <source>%1 row %2 was deleted according to the log but exists</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1075" />
        <source>%1 row %2 was edited outside the ledger (%3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1081" />
        <source>%1 row %2 was deleted outside the ledger</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1088" />
        <source>the file of receipt %1 is missing</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1090" />
        <source>the file of receipt %1 was altered (SHA-256 differs)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1145" />
        <source>Grant %1 (%2): milestone "%3" was due %4, %5 days ago</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1156" />
        <source>Grant %1 (%2): %3 disbursed but only %4 of expenses have receipts (%5 without receipts)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1165" />
        <source>Grant %1 (%2): the program requires a match but none is recorded</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1170" />
        <source>Grant %1 (%2): the completion deadline %3 has passed and the grant is not closed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/Money.cpp" line="13" />
        <source>"%1" is not an amount: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/Money.cpp" line="31" />
        <location filename="../core/grants/Money.cpp" line="41" />
        <location filename="../core/grants/Money.cpp" line="75" />
        <source>no digits</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/Money.cpp" line="37" />
        <source>more than one decimal point</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/Money.cpp" line="39" />
        <source>more than two decimals (cents)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/Money.cpp" line="59" />
        <source>mixed digit grouping</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/Money.cpp" line="62" />
        <location filename="../core/grants/Money.cpp" line="70" />
        <source>digit grouping is not in threes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/Money.cpp" line="67" />
        <location filename="../core/grants/Money.cpp" line="73" />
        <source>unexpected character '%1'</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/Money.cpp" line="77" />
        <source>too large</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/CsvReader.cpp" line="70" />
        <source>Cannot read %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/CsvReader.cpp" line="109" />
        <source>Read error in %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/CsvReader.cpp" line="130" />
        <source>The file is UTF-16 text; save it as UTF-8 CSV and import it again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/CsvReader.cpp" line="142" />
        <source>This is a binary file, not a CSV text file (it contains NUL bytes).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/CsvReader.cpp" line="152" />
        <source>The file is empty.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/CsvReader.cpp" line="157" />
        <source>This is a binary file, not a CSV text file (it is mostly control characters).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/Importer.cpp" line="742" />
        <location filename="../core/project/ProjectFile.cpp" line="547" />
        <source>The project is open read-only.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/Importer.cpp" line="744" />
        <source>No such file: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/Importer.cpp" line="769" />
        <source>Mapping "%1" is for %2 files, not %3.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/Importer.cpp" line="781" />
        <source>This looks like a %1 file (%2), not %3: choose the kind "%1".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/Importer.cpp" line="786" />
        <source>Only one column was found ("%1"): the file does not use , ; tab or | as delimiter, or is not a data export.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/Importer.cpp" line="788" />
        <source>Unknown %1 layout (columns: %2%3). Import it with a column mapping (--mapping FILE).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/Importer.cpp" line="791" />
        <source> No city layout plugin is installed (searched: %1).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/Importer.cpp" line="847" />
        <source>The file has no header line.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/Importer.cpp" line="914" />
        <source>The file has no readable header line.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/Importer.cpp" line="925" />
        <source>Layout %1 does not say which column holds "%2".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/Importer.cpp" line="948" />
        <source>Unknown source CRS "%1" in the layout.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/Importer.cpp" line="989" />
        <location filename="../core/ingest/PolygonImport.cpp" line="155" />
        <source>Cannot write to the project: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/Importer.cpp" line="1411" />
        <location filename="../core/ingest/PolygonImport.cpp" line="209" />
        <location filename="../core/ingest/ProjectFromGeoPackage.cpp" line="369" />
        <location filename="../core/ingest/ProjectFromGeoPackage.cpp" line="379" />
        <location filename="../core/ingest/ProjectFromGeoPackage.cpp" line="393" />
        <source>Canceled.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/Importer.cpp" line="1416" />
        <location filename="../core/ingest/PolygonImport.cpp" line="307" />
        <source>Import failed, the project is unchanged: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/Importer.cpp" line="1452" />
        <source>The file has a header but no data rows.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/Importer.cpp" line="1454" />
        <source>%1 rows were not valid UTF-8 and were read as Latin-1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/Importer.cpp" line="1461" />
        <source>Could not build an index, the project is unchanged: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/Importer.cpp" line="1483" />
        <location filename="../core/ingest/PolygonImport.cpp" line="331" />
        <source>Could not commit the import: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ImportTypes.cpp" line="134" />
        <source>Import canceled; the project is unchanged.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ImportTypes.cpp" line="134" />
        <source>Import failed: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ImportTypes.cpp" line="136" />
        <source>Layout: %1 (%2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ImportTypes.cpp" line="137" />
        <source>Rows read: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ImportTypes.cpp" line="138" />
        <source>Imported: %1, updated: %2, unchanged: %3, merged into an existing record: %4</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ImportTypes.cpp" line="142" />
        <source>Rejected: %1%2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ImportTypes.cpp" line="147" />
        <source>Without location: %1%2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ImportTypes.cpp" line="149" />
        <source>Person rows (restricted table): %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ImportTypes.cpp" line="151" />
        <source>Rows read as Latin-1 (not UTF-8): %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ImportTypes.cpp" line="153" />
        <source>Polygons repaired: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/LayoutRegistry.cpp" line="183" />
        <source>The mapping is not a JSON object (%1).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/LayoutRegistry.cpp" line="191" />
        <source>The mapping has no "name".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/LayoutRegistry.cpp" line="196" />
        <source>The mapping's "kind" must be one of crime, 311, vacant, dangerous.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/LayoutRegistry.cpp" line="210" />
        <source>Unknown field "%1" in the mapping; %2 fields are: %3.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/LayoutRegistry.cpp" line="219" />
        <source>The mapping must give the column of "%1".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/LayoutRegistry.cpp" line="254" />
        <source>Saved mapping "%1"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/LayoutRegistry.cpp" line="269" />
        <source>The file has no column %1 that mapping "%2" needs.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/LayoutRegistry.cpp" line="283" />
        <source>Cannot read mapping %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/LayoutRegistry.cpp" line="288" />
        <source>%1 is too large to be a column mapping.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/LayoutRegistry.cpp" line="296" />
        <source>No mapping file or saved mapping named "%1".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/OgrSource.cpp" line="51" />
        <source>%1 is not a vector data source OGR can read (GeoJSON, Shapefile, zipped Shapefile, GeoPackage ...).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/OgrSource.cpp" line="52" />
        <source>%1 has no layer "%2" that OGR can read.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/OgrSource.cpp" line="150" />
        <source>Canceled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/OgrSource.cpp" line="185" />
        <source>Cannot create a temporary folder: %1</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../core/ingest/OgrSource.cpp" line="206" />
        <source>%n line or polygon feature(s) placed at a point on their surface.</source>
        <translation type="unfinished">
            <numerusform />
            <numerusform />
        </translation>
    </message>
    <message>
        <location filename="../core/ingest/OgrSource.cpp" line="207" />
        <source>Read through OGR: CSV line numbers in the rejects are feature numbers + 1; the location column is %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/PolygonImport.cpp" line="36" />
        <source>%1 holds %2 geometries, not polygons.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/PolygonImport.cpp" line="97" />
        <source>%1 polygons (%2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/PolygonImport.cpp" line="124" />
        <source>No neighborhood name field (nbhname, name ...) in %1; fields: %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/PolygonImport.cpp" line="140" />
        <source>%1 (%2), name field %3, id field %4</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/PolygonImport.cpp" line="141" />
        <source>Boundary polygons: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/PolygonImport.cpp" line="244" />
        <source>Repaired an invalid polygon: %1 (feature %2).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ProjectFromGeoPackage.cpp" line="39" />
        <source>Other layers</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ProjectFromGeoPackage.cpp" line="67" />
        <source>a table without geometries</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ProjectFromGeoPackage.cpp" line="73" />
        <source>polygons named like neighborhoods</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ProjectFromGeoPackage.cpp" line="83" />
        <source>columns of the layout "%1"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ProjectFromGeoPackage.cpp" line="89" />
        <source>polygons</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ProjectFromGeoPackage.cpp" line="93" />
        <source>no city layout recognises its columns: copied as it is</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ProjectFromGeoPackage.cpp" line="156" />
        <source>Copied from %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ProjectFromGeoPackage.cpp" line="190" />
        <source>Feature %1 of %2 cannot be transformed to the project CRS: %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ProjectFromGeoPackage.cpp" line="240" />
        <source>%1 is not a vector data source OGR can read.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ProjectFromGeoPackage.cpp" line="266" />
        <source>%1 has no vector layers.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ProjectFromGeoPackage.cpp" line="310" />
        <source>%1: %2 features copied as the layer %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ProjectFromGeoPackage.cpp" line="312" />
        <source>Canceled: no project was created.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ProjectFromGeoPackage.cpp" line="312" />
        <source>Failed: %1 No project was created.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ProjectFromGeoPackage.cpp" line="328" />
        <source>The project needs a projected CRS in metres or feet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ProjectFromGeoPackage.cpp" line="339" />
        <source>Unknown target "%1" for layer %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/ingest/ProjectFromGeoPackage.cpp" line="379" />
        <location filename="../core/ingest/ProjectFromGeoPackage.cpp" line="393" />
        <source>Layer %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/FeatureTables.cpp" line="31" />
        <source>"%1" is not a usable table name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/FeatureTables.cpp" line="37" />
        <source>The project already has a table "%1"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="93" />
        <source>GDAL has no GeoPackage driver</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="100" />
        <source>Cannot create %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="114" />
        <source>GDAL does not understand the CRS %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="141" />
        <source>Cannot create table %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="152" />
        <source>Cannot create column %1.%2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="190" />
        <source>The file does not exist.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="192" />
        <source>This is not a StatDesk project: the file is not a SQLite/GeoPackage database.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="194" />
        <source>This SQLite database is not a GeoPackage, so it cannot be a StatDesk project.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="196" />
        <source>This GeoPackage is not a StatDesk project (it has no StatDesk metadata). StatDesk can create a new project from its layers.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="198" />
        <source>This project was written by a newer StatDesk. Update StatDesk to open it; the file was not changed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="200" />
        <source>The file (or its folder) is read-only, so it cannot be opened for editing. Open it read-only, or use Save As to work on a copy.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="202" />
        <source>The project is open in another StatDesk window or on another workstation. Close it there, or open it read-only.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="204" />
        <source>The project file is damaged or could not be upgraded; it was not changed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="224" />
        <source>%1 already exists.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="229" />
        <source>A project needs a projected CRS in metres or feet (got %1).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="229" />
        <source>no CRS</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="235" />
        <source>The CRS %1 is not in metres or feet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="240" />
        <source>Unknown time zone '%1'.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="309" />
        <source>Cannot initialise the project: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="395" />
        <source>(Held by process %1 on %2.)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="424" />
        <source>(No valid schema version.)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="426" />
        <source>(File schema %1, this StatDesk reads up to %2.)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="431" />
        <source>(The project needs an upgrade from schema %1; open it for editing to upgrade it.)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="470" />
        <source>No upgrade from schema %1 to %2: %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="488" />
        <source>The project has no incidents layer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectFile.cpp" line="705" />
        <source>Copy failed: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectLayers.cpp" line="44" />
        <source>Incidents</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectLayers.cpp" line="45" />
        <source>Violent crime density</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectLayers.cpp" line="46" />
        <source>Vacant &amp; dangerous property</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectLayers.cpp" line="50" />
        <source>311 requests</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectLayers.cpp" line="51" />
        <source>Blight request density</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectLayers.cpp" line="132" />
        <location filename="../core/project/ProjectLayers.cpp" line="277" />
        <source>Cannot load layer %1 from %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectLayers.cpp" line="173" />
        <source>Cannot replace the stored styles: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectLayers.cpp" line="184" />
        <source>StatDesk default style</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectLayers.cpp" line="188" />
        <source>Cannot save the style of %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectLayers.cpp" line="197" />
        <source>Cannot store the map in %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/project/ProjectLayers.cpp" line="263" />
        <source>Cannot read the map stored in %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/style/DefaultStyles.cpp" line="90" />
        <source>Other offenses</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/style/DefaultStyles.cpp" line="91" />
        <source>Rape</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/style/DefaultStyles.cpp" line="92" />
        <source>Robbery</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/style/DefaultStyles.cpp" line="93" />
        <source>Aggravated assault</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/style/DefaultStyles.cpp" line="95" />
        <source>Homicide</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/style/DefaultStyles.cpp" line="115" />
        <source>Not blight-related</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/style/DefaultStyles.cpp" line="123" />
        <source>Vacant lot</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/style/DefaultStyles.cpp" line="124" />
        <source>Vacant structure</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/style/DefaultStyles.cpp" line="125" />
        <source>Land Bank parcel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/style/DefaultStyles.cpp" line="126" />
        <source>Other</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/style/DefaultStyles.cpp" line="138" />
        <source>Neighborhood</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/style/DefaultStyles.cpp" line="139" />
        <source>Grant neighborhood</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/style/DefaultStyles.cpp" line="164" />
        <source>City limits</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/style/DefaultStyles.cpp" line="165" />
        <source>Council district</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/style/DefaultStyles.cpp" line="166" />
        <source>Other boundary</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>statdesk::AttributeTableDock</name>
    <message>
        <location filename="../app/AttributeTableDock.cpp" line="23" />
        <location filename="../app/AttributeTableDock.cpp" line="80" />
        <source>Attribute Table</source>
        <translation>Tabla de atributos</translation>
    </message>
    <message>
        <location filename="../app/AttributeTableDock.cpp" line="34" />
        <source>Filter expression, e.g. "violent" = 1 AND "occurred_at" &gt;= '2024-01-01'</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/AttributeTableDock.cpp" line="35" />
        <source>Apply</source>
        <translation>Aplicar</translation>
    </message>
    <message>
        <location filename="../app/AttributeTableDock.cpp" line="36" />
        <source>Filter:</source>
        <translation>Filtro:</translation>
    </message>
    <message>
        <location filename="../app/AttributeTableDock.cpp" line="80" />
        <source>Attribute Table — %1</source>
        <translation>Tabla de atributos — %1</translation>
    </message>
    <message>
        <location filename="../app/AttributeTableDock.cpp" line="116" />
        <source>No field named "%1" in %2.</source>
        <translation>No hay ningún campo llamado "%1" en %2.</translation>
    </message>
    <message>
        <location filename="../app/AttributeTableDock.cpp" line="123" />
        <source>The filter does not parse: %1</source>
        <translation>El filtro no es válido: %1</translation>
    </message>
    <message>
        <location filename="../app/AttributeTableDock.cpp" line="175" />
        <source>Select a layer in the Layers panel to see its attributes.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/AttributeTableDock.cpp" line="179" />
        <source>?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/AttributeTableDock.cpp" line="180" />
        <source>counting…</source>
        <translation>contando…</translation>
    </message>
    <message>
        <location filename="../app/AttributeTableDock.cpp" line="181" />
        <source>%1 features</source>
        <translation>%1 entidades</translation>
    </message>
    <message>
        <location filename="../app/AttributeTableDock.cpp" line="181" />
        <source>%1 of %2 features match the filter</source>
        <translation>%1 de %2 entidades cumplen el filtro</translation>
    </message>
    <message>
        <location filename="../app/AttributeTableDock.cpp" line="183" />
        <source> — %1 rows loaded, more load as you scroll</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>statdesk::CoordinateWidget</name>
    <message>
        <location filename="../app/StatusBarWidgets.cpp" line="24" />
        <source>Cursor position in the map CRS, and longitude/latitude (WGS 84)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/StatusBarWidgets.cpp" line="53" />
        <source>  │  lon/lat: outside the CRS's area</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>statdesk::DateRangeWidget</name>
    <message>
        <location filename="../app/DateRangeWidget.cpp" line="18" />
        <source>Dates:</source>
        <translation>Fechas:</translation>
    </message>
    <message>
        <location filename="../app/DateRangeWidget.cpp" line="19" />
        <source>All dates</source>
        <translation>Todas las fechas</translation>
    </message>
    <message>
        <location filename="../app/DateRangeWidget.cpp" line="21" />
        <source>Show incidents and 311 requests of every date</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/DateRangeWidget.cpp" line="30" />
        <source>First day shown (incidents by occurrence date, 311 requests by creation date)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/DateRangeWidget.cpp" line="31" />
        <source>Last day shown (inclusive)</source>
        <translation>Último día mostrado (incluido)</translation>
    </message>
</context>
<context>
    <name>statdesk::FeatureCountTask</name>
    <message>
        <location filename="../app/AppTasks.cpp" line="26" />
        <source>Counting features of %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>statdesk::GrantsDock</name>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="134" />
        <source>Neighborhood grants</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="138" />
        <source>Ledger</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="139" />
        <source>Needs</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="140" />
        <source>Outcomes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="141" />
        <source>Dashboard</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="163" />
        <source>Id</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="163" />
        <location filename="../app/grants/GrantsDock.cpp" line="260" />
        <location filename="../app/grants/GrantsDock.cpp" line="400" />
        <source>Program</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="163" />
        <location filename="../app/grants/GrantsDock.cpp" line="246" />
        <location filename="../app/grants/GrantsDock.cpp" line="262" />
        <location filename="../app/grants/GrantsDock.cpp" line="401" />
        <source>Neighborhood</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="163" />
        <source>Grantee</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="163" />
        <source>Status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="163" />
        <source>Category</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="163" />
        <location filename="../app/grants/GrantsDock.cpp" line="262" />
        <location filename="../app/grants/GrantsDock.cpp" line="429" />
        <source>Award</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="164" />
        <location filename="../app/grants/GrantsDock.cpp" line="260" />
        <location filename="../app/grants/GrantsDock.cpp" line="262" />
        <source>Disbursed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="164" />
        <location filename="../app/grants/GrantsDock.cpp" line="260" />
        <location filename="../app/grants/GrantsDock.cpp" line="262" />
        <source>Remaining</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="164" />
        <source>Receipted</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="181" />
        <source>New program…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="181" />
        <source>New application…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="181" />
        <source>Award…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="181" />
        <source>Status…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="182" />
        <source>Disburse…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="182" />
        <source>Expense + receipt…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="182" />
        <source>Milestone…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="182" />
        <source>Open receipt…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="183" />
        <source>Undo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="183" />
        <source>Redo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="183" />
        <source>Import CSV…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="183" />
        <source>Export CSV…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="183" />
        <source>Verify audit log</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="201" />
        <source>Show</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="202" />
        <source>Zoom to</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="204" />
        <source>as of</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="214" />
        <source>Blight class</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="214" />
        <source>Open</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="214" />
        <source>Last 90 days</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="216" />
        <source>Month</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="216" />
        <location filename="../app/grants/GrantsDock.cpp" line="227" />
        <source>Violent offenses</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="228" />
        <source>Blight 311 requests</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="238" />
        <source>Measure</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="239" />
        <source>Months before</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="240" />
        <source>Months after</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="241" />
        <source>Comparison neighborhoods</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="243" />
        <source>Estimate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="246" />
        <location filename="../app/grants/GrantsDock.cpp" line="406" />
        <source>Start</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="246" />
        <source>Before</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="246" />
        <source>After</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="246" />
        <source>Comparison before</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="246" />
        <source>Comparison after</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="247" />
        <source>Rate ratio</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="247" />
        <source>95% interval</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="247" />
        <source>WDD (SE)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="260" />
        <source>Budget</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="260" />
        <source>Awarded</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="260" />
        <source>Unallocated</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="260" />
        <source>Grants</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="264" />
        <source>Flags</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="319" />
        <source>Nothing to flag.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="337" />
        <source>The project is open read-only.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="337" />
        <source>Open a project first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="358" />
        <source>New grant program</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="359" />
        <source>Name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="359" />
        <source>Neighborhood Pilot Grant</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="360" />
        <source>Cap per neighborhood</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="361" />
        <source>Total budget</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="362" />
        <source>Cycle start</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="363" />
        <source>Cycle end</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="364" />
        <source>Match required</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="364" />
        <source>No</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="364" />
        <location filename="../app/grants/GrantsDock.cpp" line="373" />
        <source>Yes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="396" />
        <source>Create a program first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="399" />
        <source>New grant application</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="402" />
        <source>Grantee organisation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="403" />
        <source>Contact</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="404" />
        <source>Registration</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="404" />
        <source>registered</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="404" />
        <source>pending</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="404" />
        <source>not registered</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="405" />
        <source>Priority category</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="407" />
        <source>Completion deadline</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="428" />
        <source>Award grant %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="444" />
        <source>Status of grant %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="445" />
        <source>New status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="446" />
        <source>Reason (kept as a note)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="458" />
        <source>Disburse to grant %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="459" />
        <location filename="../app/grants/GrantsDock.cpp" line="479" />
        <source>Amount</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="460" />
        <source>Paid on</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="461" />
        <source>Kind</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="462" />
        <source>Reference</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="478" />
        <source>Expense of grant %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="480" />
        <source>Spent on</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="481" />
        <source>Vendor</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="482" />
        <source>Description</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="499" />
        <source>Receipt for expense %1 (cancel for none)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="505" />
        <source>Expense %1 recorded, but %2 cannot be read: %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="510" />
        <source>Expense %1 recorded, but the receipt was not: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="522" />
        <source>Milestone of grant %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="523" />
        <source>Title</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="524" />
        <source>Due</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="547" />
        <source>Grant %1 has no receipts.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="551" />
        <source>Receipt</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="569" />
        <source>Cannot write %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="596" />
        <source>Import grants spreadsheet</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="596" />
        <source>CSV files (*.csv);;All files (*)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="606" />
        <source>%1 rows read, %2 imported, %3 refused (nothing of them was written).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="608" />
        <source>Line %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="610" />
        <source>Grants import</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="617" />
        <source>Export grants</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="617" />
        <source>CSV files (*.csv)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="635" />
        <location filename="../app/grants/GrantsDock.cpp" line="637" />
        <source>Audit log</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="635" />
        <source>The audit log is intact: %1 entries, last hash %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="637" />
        <source>The audit log found %1 problem(s):
%2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="651" />
        <source>%1 open blight requests (%2 new in the last %3 days), %4 vacant parcels, %5 dangerous buildings; violent offenses in the last 12 months: %6 (12 months before: %7); %8 grant site(s).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="698" />
        <source>Cannot show this neighborhood in the map's CRS: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/grants/GrantsDock.cpp" line="742" />
        <source>All grant neighborhoods: %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>statdesk::IdentifyDock</name>
    <message>
        <location filename="../app/IdentifyDock.cpp" line="60" />
        <source>Identify Results</source>
        <translation>Resultados de la identificación</translation>
    </message>
    <message>
        <location filename="../app/IdentifyDock.cpp" line="66" />
        <source>Choose Identify in the toolbar and click a feature on the map.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/IdentifyDock.cpp" line="71" />
        <source>Feature / field</source>
        <translation>Entidad / campo</translation>
    </message>
    <message>
        <location filename="../app/IdentifyDock.cpp" line="71" />
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <location filename="../app/IdentifyDock.cpp" line="86" />
        <source>No feature here (features of hidden layers and layers outside their scale range are not identified).</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../app/IdentifyDock.cpp" line="87" />
        <source>%n feature(s) under the click.</source>
        <translation type="unfinished">
            <numerusform />
            <numerusform />
        </translation>
    </message>
    <message>
        <location filename="../app/IdentifyDock.cpp" line="93" />
        <source>feature %1</source>
        <translation>entidad %1</translation>
    </message>
</context>
<context>
    <name>statdesk::ImportFilePage</name>
    <message>
        <location filename="../app/ImportWizard.cpp" line="71" />
        <source>Choose a file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="72" />
        <source>A city export as it is: crime, 311, vacant or dangerous-building records as CSV or as points (GeoJSON, Shapefile, zipped Shapefile, GeoPackage), or neighborhood and boundary polygons from the same formats.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="75" />
        <source>Crime incidents (KCPD)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="75" />
        <source>311 service requests</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="75" />
        <source>Vacant parcels / Land Bank</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="75" />
        <source>Dangerous buildings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="75" />
        <source>Neighborhood polygons</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="75" />
        <source>Boundary polygons</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="79" />
        <source>Kind</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="82" />
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="85" />
        <source>File</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="87" />
        <source>Detect the layout</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="91" />
        <source>Saved mapping: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="93" />
        <source>Column mapping from a JSON file…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="94" />
        <source>Columns</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="96" />
        <source>Import file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="96" />
        <source>Data files (*.csv *.txt *.tsv *.geojson *.json *.zip *.shp *.gpkg);;All files (*)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="103" />
        <source>Column mapping</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="103" />
        <source>JSON (*.json)</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>statdesk::ImportPreviewPage</name>
    <message>
        <location filename="../app/ImportWizard.cpp" line="126" />
        <source>Preview</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="127" />
        <source>The first rows of the file, the layout found and which column feeds which field.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="138" />
        <source>Field</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="138" />
        <source>Source column</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="167" />
        <source>Layout: &lt;b&gt;%1&lt;/b&gt; (%2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="170" />
        <source>&lt;b&gt;This file cannot be imported as chosen.&lt;/b&gt; %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="172" />
        <source>&lt;br&gt;Go back and choose the kind "%1".</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>statdesk::ImportRunPage</name>
    <message>
        <location filename="../app/ImportWizard.cpp" line="189" />
        <source>Importing</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="190" />
        <source>Cancel leaves the project exactly as it was.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="195" />
        <source>Cancel import</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>statdesk::ImportWizard</name>
    <message>
        <location filename="../app/ImportWizard.cpp" line="217" />
        <source>Import data</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="224" />
        <source>Summary</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="266" />
        <source>Importing %1 …</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="282" />
        <source>Done.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="282" />
        <source>Canceled; the project is unchanged.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="282" />
        <source>The import failed; the project is unchanged.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ImportWizard.cpp" line="294" />
        <source>Cancel the running import? The project stays as it was.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>statdesk::MainWindow</name>
    <message>
        <location filename="../app/MainWindow.cpp" line="183" />
        <source>&amp;New Project…</source>
        <translation>&amp;Nuevo proyecto…</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="186" />
        <source>&amp;Open Project…</source>
        <translation>&amp;Abrir proyecto…</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="189" />
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="191" />
        <source>Save the map (layers, styles, view, date filter) into the project file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="195" />
        <location filename="../app/MainWindow.cpp" line="494" />
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="197" />
        <source>Save &amp;As…</source>
        <translation>Guardar &amp;como…</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="200" />
        <source>&amp;Import Data…</source>
        <translation>&amp;Importar datos…</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="201" />
        <source>Import crime, 311, vacant-property or boundary files into the project</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="203" />
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="226" />
        <source>Pan</source>
        <translation>Desplazar</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="227" />
        <source>Zoom In</source>
        <translation>Acercar</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="228" />
        <source>Zoom Out</source>
        <translation>Alejar</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="229" />
        <source>Identify Features</source>
        <translation>Identificar entidades</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="230" />
        <source>Measure Distance</source>
        <translation>Medir distancia</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="234" />
        <source>Zoom to Layer</source>
        <translation>Zoom a la capa</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="235" />
        <source>Zoom to the layer selected in the Layers panel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="237" />
        <source>Zoom Full</source>
        <translation>Zoom general</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="258" />
        <source>Layers</source>
        <translation>Capas</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="276" />
        <source>Open Attribute Table</source>
        <translation>Abrir tabla de atributos</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="287" />
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="290" />
        <source>Open &amp;Recent</source>
        <translation>Abrir &amp;reciente</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="303" />
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="313" />
        <source>Panels</source>
        <translation>Paneles</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="323" />
        <source>&amp;Help</source>
        <translation>Ay&amp;uda</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="324" />
        <source>&amp;About StatDesk</source>
        <translation>&amp;Acerca de StatDesk</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="325" />
        <source>About StatDesk</source>
        <translation>Acerca de StatDesk</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="326" />
        <source>&lt;b&gt;StatDesk %1&lt;/b&gt;&lt;p&gt;A desktop GIS for a city's violence-reduction work: crime, 311, vacant property and neighborhoods on one map.&lt;/p&gt;&lt;p&gt;Built on QGIS %2 and Qt %3.&lt;/p&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="331" />
        <source>Project</source>
        <translation>Proyecto</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="339" />
        <source>Map Navigation</source>
        <translation>Navegación del mapa</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="352" />
        <source>Date Filter</source>
        <translation>Filtro de fechas</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="394" />
        <source>Untitled city</source>
        <translation>Ciudad sin nombre</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="396" />
        <source> [read-only]</source>
        <translation> [solo lectura]</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="452" />
        <source>No recent projects</source>
        <translation>No hay proyectos recientes</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="465" />
        <source>Clear List</source>
        <translation>Vaciar la lista</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="474" />
        <location filename="../app/MainWindow.cpp" line="484" />
        <source>Unsaved Map Changes</source>
        <translation>Cambios del mapa sin guardar</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="475" />
        <source>The map changed, but %1 is open read-only. Save a copy with Save As?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="485" />
        <source>Save the changes to the map (layers, styles, view, date filter) in %1?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="505" />
        <source>Saving</source>
        <translation>Guardando</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="505" />
        <source>The project is being copied; close StatDesk when Save As has finished.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="540" />
        <location filename="../app/MainWindow.cpp" line="553" />
        <location filename="../app/MainWindow.cpp" line="568" />
        <location filename="../app/MainWindow.cpp" line="788" />
        <source>Open Project</source>
        <translation>Abrir proyecto</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="544" />
        <source>%1 is already open.</source>
        <translation>%1 ya está abierto.</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="554" />
        <source>%1

%2

Open it read-only? You can look at the map and save a copy with Save As.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="568" />
        <source>

Create a new StatDesk project from its layers? The file itself is only read.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="588" />
        <source>The map stored in %1 cannot be read: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="617" />
        <source>Opened %1</source>
        <translation>Abierto %1</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="665" />
        <source>Incidents and 311 requests from %1 to %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="665" />
        <source>the first</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="665" />
        <source>the last</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="666" />
        <source>Incidents and 311 requests of all dates</source>
        <translation>Incidentes y solicitudes 311 de todas las fechas</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="675" />
        <source>No project is open.</source>
        <translation>No hay ningún proyecto abierto.</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="681" />
        <source>%1 is open read-only; use Save As to keep your changes in a copy.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="700" />
        <source>Saved %1</source>
        <translation>Guardado %1</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="709" />
        <source>Save Project As</source>
        <translation>Guardar proyecto como</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="709" />
        <source>StatDesk projects (*.gpkg)</source>
        <translation>Proyectos de StatDesk (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="726" />
        <source>Copying the project to %1…</source>
        <translation>Copiando el proyecto a %1…</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="737" />
        <location filename="../app/MainWindow.cpp" line="757" />
        <source>Save As</source>
        <translation>Guardar como</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="737" />
        <source>The project could not be copied to %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="757" />
        <source>The data was copied to %1, but the map could not be stored in it: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="777" />
        <source>New Project</source>
        <translation>Nuevo proyecto</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="777" />
        <source>The project could not be created: %1</source>
        <translation>No se pudo crear el proyecto: %1</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="788" />
        <source>StatDesk projects (*.gpkg);;All files (*)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="798" />
        <source>Select a layer in the Layers panel first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="806" />
        <source>%1 has no features on the map.</source>
        <translation>%1 no tiene entidades en el mapa.</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="866" />
        <source>Create a Project</source>
        <translation>Crear un proyecto</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="873" />
        <source>Project Created</source>
        <translation>Proyecto creado</translation>
    </message>
    <message>
        <location filename="../app/MainWindow.cpp" line="873" />
        <source>%1 was created from the layers of %2.

%3</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>statdesk::MeasureTool</name>
    <message>
        <location filename="../app/MeasureTool.cpp" line="137" />
        <source>%1 ft</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/MeasureTool.cpp" line="138" />
        <source>%1 mi</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/MeasureTool.cpp" line="141" />
        <source>%1 m</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/MeasureTool.cpp" line="142" />
        <source>%1 km</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/MeasureTool.cpp" line="152" />
        <source>Measure: click the next point (right-click or double-click to finish, Esc to clear).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/MeasureTool.cpp" line="157" />
        <source>Distance: %1 (segment %2)</source>
        <translation>Distancia: %1 (tramo %2)</translation>
    </message>
    <message>
        <location filename="../app/MeasureTool.cpp" line="159" />
        <source> — click to start a new line</source>
        <translation> — haga clic para empezar una línea nueva</translation>
    </message>
</context>
<context>
    <name>statdesk::NewProjectDialog</name>
    <message>
        <location filename="../app/NewProjectDialog.cpp" line="24" />
        <source>New Project</source>
        <translation>Nuevo proyecto</translation>
    </message>
    <message>
        <location filename="../app/NewProjectDialog.cpp" line="28" />
        <source>e.g. Kansas City</source>
        <translation>p. ej., Kansas City</translation>
    </message>
    <message>
        <location filename="../app/NewProjectDialog.cpp" line="29" />
        <source>City name:</source>
        <translation>Nombre de la ciudad:</translation>
    </message>
    <message>
        <location filename="../app/NewProjectDialog.cpp" line="34" />
        <source>A projected CRS in metres or feet for the city, e.g. UTM zone 15N (EPSG:26915) or a State Plane zone.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/NewProjectDialog.cpp" line="35" />
        <source>Projected CRS:</source>
        <translation>SRC proyectado:</translation>
    </message>
    <message>
        <location filename="../app/NewProjectDialog.cpp" line="39" />
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <location filename="../app/NewProjectDialog.cpp" line="42" />
        <source>Project file:</source>
        <translation>Archivo del proyecto:</translation>
    </message>
    <message>
        <location filename="../app/NewProjectDialog.cpp" line="51" />
        <source>Create</source>
        <translation>Crear</translation>
    </message>
    <message>
        <location filename="../app/NewProjectDialog.cpp" line="64" />
        <source>New Project File</source>
        <translation>Nuevo archivo de proyecto</translation>
    </message>
    <message>
        <location filename="../app/NewProjectDialog.cpp" line="64" />
        <source>StatDesk projects (*.gpkg)</source>
        <translation>Proyectos de StatDesk (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../app/NewProjectDialog.cpp" line="75" />
        <source>Choose a coordinate reference system.</source>
        <translation>Elija un sistema de referencia de coordenadas.</translation>
    </message>
    <message>
        <location filename="../app/NewProjectDialog.cpp" line="77" />
        <source>%1 is geographic (degrees). Distances, grids and densities need a projected CRS in metres or feet: choose the city's UTM zone or State Plane zone.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/NewProjectDialog.cpp" line="82" />
        <source>%1 is in %2; StatDesk needs a CRS in metres or feet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/NewProjectDialog.cpp" line="106" />
        <source>Enter the city name.</source>
        <translation>Escriba el nombre de la ciudad.</translation>
    </message>
    <message>
        <location filename="../app/NewProjectDialog.cpp" line="110" />
        <source>Choose where to save the project file.</source>
        <translation>Elija dónde guardar el archivo del proyecto.</translation>
    </message>
    <message>
        <location filename="../app/NewProjectDialog.cpp" line="112" />
        <source>%1 already exists. Choose another name (an existing project is opened with File ▸ Open).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/NewProjectDialog.cpp" line="114" />
        <source>The folder %1 is not writable.</source>
        <translation>No se puede escribir en la carpeta %1.</translation>
    </message>
</context>
<context>
    <name>statdesk::ProjectFromSourceDialog</name>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="80" />
        <source>Create a Project from %1</source>
        <translation>Crear un proyecto a partir de %1</translation>
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="84" />
        <source>%1 is a GeoPackage but not a StatDesk project. StatDesk can make a new project from its layers: records (crime, 311, vacant, dangerous buildings) go through the importer with its checks, polygons become neighborhoods or boundaries, other layers are copied as they are. The file itself is only read.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="94" />
        <source>Layer</source>
        <translation>Capa</translation>
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="94" />
        <source>Geometry</source>
        <translation>Geometría</translation>
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="94" />
        <source>Features</source>
        <translation>Entidades</translation>
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="94" />
        <source>Bring in as</source>
        <translation>Incorporar como</translation>
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="103" />
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="110" />
        <source>Suggested: %1 (%2)</source>
        <translation>Sugerido: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="119" />
        <source>City name:</source>
        <translation>Nombre de la ciudad:</translation>
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="123" />
        <source>Project CRS:</source>
        <translation>SRC del proyecto:</translation>
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="129" />
        <source>The time zone the city's dates and times are written in.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="130" />
        <source>Time zone of the data:</source>
        <translation>Zona horaria de los datos:</translation>
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="139" />
        <source>New project file:</source>
        <translation>Nuevo archivo de proyecto:</translation>
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="152" />
        <source>Create Project</source>
        <translation>Crear proyecto</translation>
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="207" />
        <source>New Project File</source>
        <translation>Nuevo archivo de proyecto</translation>
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="207" />
        <source>StatDesk projects (*.gpkg)</source>
        <translation>Proyectos de StatDesk (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="219" />
        <source>Give the city a name.</source>
        <translation>Dé un nombre a la ciudad.</translation>
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="223" />
        <source>Choose the new project file.</source>
        <translation>Elija el nuevo archivo de proyecto.</translation>
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="225" />
        <source>%1 exists already; choose another name.</source>
        <translation>%1 ya existe; elija otro nombre.</translation>
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="227" />
        <source>The new project must be a new file.</source>
        <translation>El nuevo proyecto debe ser un archivo nuevo.</translation>
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="229" />
        <source>Every layer is left out: choose at least one to bring in.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="235" />
        <source>Creating %1 …</source>
        <translation>Creando %1 …</translation>
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="239" />
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="258" />
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../app/ProjectFromSourceDialog.cpp" line="267" />
        <source>Stopped: no project was created.</source>
        <translation>Detenido: no se creó ningún proyecto.</translation>
    </message>
</context>
<context>
    <name>statdesk::SaveAsTask</name>
    <message>
        <location filename="../app/AppTasks.cpp" line="12" />
        <source>Saving project as %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>statdesk::ScaleWidget</name>
    <message>
        <location filename="../app/StatusBarWidgets.cpp" line="70" />
        <source>Scale</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../app/StatusBarWidgets.cpp" line="73" />
        <source>Current map scale; type or choose one to zoom</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>statdesk::grants</name>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="146" />
        <source>"%1" is not a grant status (one of %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="148" />
        <source>the grant is already %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="151" />
        <source>a %1 grant cannot change status any more (%1 is final)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="153" />
        <source>a grant cannot go from %1 to %2; from %1 it can go to %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="511" />
        <source>Could not start a transaction: %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>statdesk::grants::GrantLedger</name>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="213" />
        <source>The project is open read-only and has no grants ledger yet</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="216" />
        <location filename="../core/grants/GrantLedger.cpp" line="966" />
        <location filename="../core/grants/GrantLedger.cpp" line="1299" />
        <source>Could not start a transaction: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="435" />
        <location filename="../core/grants/GrantLedger.cpp" line="456" />
        <source>%1 row %2 does not exist</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="519" />
        <source>A program needs a name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="521" />
        <source>The per-neighborhood cap must be more than $0.00</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="523" />
        <source>The program budget must be more than $0.00</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="525" />
        <source>The per-neighborhood cap %1 is larger than the whole budget %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="527" />
        <source>The cycle ends (%1) before it starts (%2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="529" />
        <source>A program named "%1" already exists</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="530" />
        <source>Add program %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="545" />
        <source>Program %1 does not exist</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="547" />
        <source>A grant needs a neighborhood (nbh_id)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="552" />
        <source>Neighborhood "%1" is not in the neighborhoods layer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="555" />
        <source>A grant needs a grantee organisation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="557" />
        <source>"%1" is not a priority category (one of %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="559" />
        <source>The grant ends (%1) before it starts (%2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="577" />
        <source>Add grant for %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="586" />
        <location filename="../core/grants/GrantLedger.cpp" line="644" />
        <location filename="../core/grants/GrantLedger.cpp" line="670" />
        <location filename="../core/grants/GrantLedger.cpp" line="688" />
        <location filename="../core/grants/GrantLedger.cpp" line="724" />
        <location filename="../core/grants/GrantLedger.cpp" line="799" />
        <location filename="../core/grants/GrantLedger.cpp" line="813" />
        <location filename="../core/grants/GrantLedger.cpp" line="842" />
        <location filename="../core/grants/GrantLedger.cpp" line="856" />
        <source>Grant %1 does not exist</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="589" />
        <source>Grant %1 is %2: its award can no longer change</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="591" />
        <source>An award must be more than $0.00</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="605" />
        <source>Award of %1 exceeds the %2 cap by %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="606" />
        <source>Award of %1 plus %2 already awarded to neighborhood %3 in this program exceeds the %4 cap by %5</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="615" />
        <source>Award of %1 would bring the program's awards to %2, exceeding its %3 budget by %4</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="619" />
        <source>Award of %1 is %2 less than the %3 already disbursed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="636" />
        <source>Award %1 to grant %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="647" />
        <source>Grant %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="649" />
        <source>Grant %1 has no award amount yet: set the award (which marks it awarded)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="656" />
        <source>Grant %1 %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="659" />
        <source>Status %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="672" />
        <source>A budget line must be more than $0.00</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="676" />
        <source>Budget line of %1 would bring the budget to %2, exceeding the %3 award by %4</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="679" />
        <source>Budget line %1 for grant %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="690" />
        <source>Grant %1 is %2: money is disbursed only to awarded or active grants</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="692" />
        <source>A disbursement must be more than $0.00</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="695" />
        <source>A disbursement is an advance or a reimbursement, not "%1"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="697" />
        <source>A disbursement needs a date</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="701" />
        <source>Disbursement of %1 would bring grant %2's disbursements to %3, exceeding its %4 award by %5</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="712" />
        <source>Disburse %1 to grant %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="726" />
        <source>Grant %1 is %2: expenses are recorded for awarded or active grants</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="728" />
        <source>An expense must be more than $0.00</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="730" />
        <source>An expense needs a date</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="732" />
        <source>Budget line %1 does not belong to grant %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="733" />
        <source>Expense %1 for grant %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="746" />
        <source>Expense %1 does not exist</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="748" />
        <source>A receipt needs a file name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="750" />
        <source>The receipt file "%1" is empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="752" />
        <source>Receipt %1 for expense %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="776" />
        <source>Receipt %1 does not exist</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="780" />
        <source>The file of receipt %1 is missing from the project</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="783" />
        <source>The file of receipt %1 does not match its SHA-256: it was altered</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="801" />
        <source>An in-kind contribution must be worth more than $0.00</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="802" />
        <source>In-kind match %1 for grant %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="815" />
        <source>A milestone needs a title</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="817" />
        <source>A milestone needs a due date</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="818" />
        <source>Milestone "%1" for grant %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="829" />
        <source>Milestone %1 does not exist</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="831" />
        <source>A completion needs a date</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="832" />
        <source>Complete milestone %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="844" />
        <source>The note is empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="845" />
        <source>Note on grant %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="858" />
        <source>A grant site needs a point or a polygon</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="861" />
        <source>A grant site is a point or a polygon</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="862" />
        <source>Site "%1" for grant %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="875" />
        <source>Rows of %1 cannot be removed (programs stay; a grant is withdrawn or declined instead)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="882" />
        <source>Expense %1 has %2 receipt(s): remove them first</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="884" />
        <source>Remove %1 %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="964" />
        <source>Redo: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="964" />
        <source>Undo: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="973" />
        <source>Cannot %1 "%2": %3 row %4 was changed outside the ledger since; run verify</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="974" />
        <source>redo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="974" />
        <source>undo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="993" />
        <source>Nothing to undo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1002" />
        <source>Nothing to redo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1226" />
        <location filename="../core/grants/GrantLedger.cpp" line="1245" />
        <source>Cannot write %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1255" />
        <source>Cannot read %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1270" />
        <source>The file is empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1287" />
        <source>The spreadsheet lacks the column(s) %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1296" />
        <source>Import grants spreadsheet</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1331" />
        <source>program "%1" does not exist (create it first)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1342" />
        <source>neighborhood "%1" is not in the neighborhoods layer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1352" />
        <source>start_date "%1" is not a date (YYYY-MM-DD or M/D/YYYY)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1357" />
        <source>end_date "%1" is not a date (YYYY-MM-DD or M/D/YYYY)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1364" />
        <source>award: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1369" />
        <source>disbursed: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1377" />
        <source>"%1" is not a grant status (one of %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1403" />
        <source>status awarded needs an award amount</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="1413" />
        <location filename="../core/grants/GrantLedger.cpp" line="1419" />
        <source>imported</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>statdesk::grants::GrantLedger::Operation</name>
    <message>
        <location filename="../core/grants/GrantLedger.cpp" line="178" />
        <source>Could not save the change: %1</source>
        <translation type="unfinished" />
    </message>
</context>
</TS>