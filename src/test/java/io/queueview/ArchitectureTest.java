package io.queueview;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The packages follow the data's path one way — event → topology → store → query (and write) → http — with the
 * domain (queue), the commands and the source of time where every stage can see them, and app wiring it all
 * together.
 */
@AnalyzeClasses(packages = "io.queueview", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.queueview.(*)..").should().beFreeOfCycles();

    /** The HTTP rooms (auth, sse, peer, jetty, error) lean on each other one way; the server wires them. */
    @ArchTest
    static final ArchRule noCyclesAmongTheHttpRooms = slices().matching("io.queueview.http.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule theHttpRoomsNeverReachBackIntoTheServer = noClasses().that()
            .resideInAnyPackage("..http.auth..", "..http.sse..", "..http.peer..", "..http.jetty..", "..http.error..")
            .should().dependOnClassesThat().resideInAPackage("io.queueview.http");

    @ArchTest
    static final ArchRule onlyTheJettyRoomTouchesJetty = noClasses().that().resideOutsideOfPackage("..http.jetty..")
            .should().dependOnClassesThat().resideInAPackage("org.eclipse.jetty..");

    @ArchTest
    static final ArchRule httpNeverTouchesKafkaStreams = noClasses().that().resideInAPackage("..http..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.kafka.streams..");

    @ArchTest
    static final ArchRule topologyNeverTouchesHttp = noClasses().that().resideInAPackage("..topology..")
            .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "..http..");

    @ArchTest
    static final ArchRule theDomainDependsOnNoStage = noClasses().that().resideInAnyPackage("..queue..", "..command..")
            .should().dependOnClassesThat().resideInAnyPackage("..event..", "..topology..", "..store..", "..query..",
                    "..write..", "..http..", "..app..", "org.apache.kafka..");

    @ArchTest
    static final ArchRule timeDependsOnNoStage = noClasses().that().resideInAPackage("..time..")
            .should().dependOnClassesThat().resideInAnyPackage("..queue..", "..command..", "..event..", "..topology..",
                    "..store..", "..query..", "..write..", "..changes..", "..http..", "..config..", "..app..");

    @ArchTest
    static final ArchRule eventsAreReadBeforeAnyStage = noClasses().that().resideInAPackage("..event..")
            .should().dependOnClassesThat().resideInAnyPackage("..topology..", "..store..", "..query..", "..write..",
                    "..http..", "..app..");

    @ArchTest
    static final ArchRule storesKnowNothingDownstream = noClasses().that().resideInAPackage("..store..")
            .should().dependOnClassesThat().resideInAnyPackage("..event..", "..topology..", "..query..", "..write..",
                    "..http..", "..app..", "..command..");

    @ArchTest
    static final ArchRule theTopologyServesNoCalls = noClasses().that().resideInAPackage("..topology..")
            .should().dependOnClassesThat().resideInAnyPackage("..query..", "..write..", "..app..");

    @ArchTest
    static final ArchRule queriesKnowNothingOfHttpOrTheTopology = noClasses().that()
            .resideInAnyPackage("..query..", "..write..", "..changes..")
            .should().dependOnClassesThat().resideInAnyPackage("..http..", "..topology..", "..app..", "io.javalin..");

    @ArchTest
    static final ArchRule onlyTheAppWiresThingsTogether = noClasses().that().resideOutsideOfPackage("..app..")
            .should().dependOnClassesThat().resideInAPackage("..app..");
}
